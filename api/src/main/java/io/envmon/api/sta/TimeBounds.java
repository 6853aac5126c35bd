package io.envmon.api.sta;

import io.envmon.api.problem.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The hours a $filter can ask of a Datastream's Observations: its bounds on {@code phenomenonTime}
 * (an hour's start) in comparisons joined by {@code and} at the top. The filter itself is applied
 * afterwards; the window only keeps the read of InfluxDB bounded.
 */
record TimeBounds(Optional<Instant> lowest, Optional<Instant> highest) {

  /** [from, to): whole hours. */
  record Window(Instant from, Instant to) {}

  /**
   * The hours InfluxDB can hold (its nanoseconds since 1970 in a long: 1677-09-21 to 2262-04-11),
   * within whole years; nothing is stored outside them, so a window is cut to them.
   */
  static final Instant STORABLE_FROM = Instant.parse("1678-01-01T00:00:00Z");

  static final Instant STORABLE_TO = Instant.parse("2262-01-01T00:00:00Z");

  /** Whether the hour from {@code start} lies where InfluxDB can hold values. */
  static boolean storable(Instant start) {
    return !start.isBefore(STORABLE_FROM) && start.isBefore(STORABLE_TO);
  }

  static TimeBounds of(Optional<Filter> filter) {
    TimeBounds bounds = new TimeBounds(Optional.empty(), Optional.empty());
    return filter.map(f -> bounds.narrowedBy(f)).orElse(bounds);
  }

  private TimeBounds narrowedBy(Filter filter) {
    if (filter instanceof Filter.And and) {
      return narrowedBy(and.left()).narrowedBy(and.right());
    }
    if (filter instanceof Filter.Comparison c
        && c.left() instanceof Filter.Path path
        && path.segments().equals(List.of("phenomenonTime"))
        && c.right() instanceof Filter.Literal literal
        && literal.value() instanceof Instant at) {
      return switch (c.operator()) {
        case GT, GE -> new TimeBounds(max(lowest, at), highest);
        case LT, LE -> new TimeBounds(lowest, min(highest, at));
        case EQ -> new TimeBounds(max(lowest, at), min(highest, at));
        case NE -> this;
      };
    }
    return this;
  }

  /**
   * The hours to read: from the lowest start asked (else {@code defaultObservationRange} before the
   * upper end) to the end of the hour of the highest (else of now); longer than {@code
   * maxObservationRange} is 400.
   */
  Window window(Instant now, StaLimits limits) {
    Instant to = highest.orElse(now).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    Instant from =
        lowest
            .map(l -> l.truncatedTo(ChronoUnit.HOURS))
            .orElse(to.minus(limits.defaultObservationRange()));
    if (!from.isBefore(to)) {
      return new Window(from, from);
    }
    if (Duration.between(from, to).compareTo(limits.maxObservationRange()) > 0) {
      throw InvalidRequestException.field(
          "$filter",
          "Observations of at most "
              + limits.maxObservationRange().toHours()
              + " h per request: bound phenomenonTime from both sides (ge and lt), e.g."
              + " phenomenonTime ge 2026-01-01T00:00:00Z and phenomenonTime lt 2026-01-08T00:00:00Z");
    }
    Instant storableFrom = from.isBefore(STORABLE_FROM) ? STORABLE_FROM : from;
    Instant storableTo = to.isAfter(STORABLE_TO) ? STORABLE_TO : to;
    return storableFrom.isBefore(storableTo)
        ? new Window(storableFrom, storableTo)
        : new Window(storableFrom, storableFrom);
  }

  private static Optional<Instant> max(Optional<Instant> current, Instant at) {
    return Optional.of(current.filter(c -> c.isAfter(at)).orElse(at));
  }

  private static Optional<Instant> min(Optional<Instant> current, Instant at) {
    return Optional.of(current.filter(c -> c.isBefore(at)).orElse(at));
  }
}
