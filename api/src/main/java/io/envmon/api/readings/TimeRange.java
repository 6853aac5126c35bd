package io.envmon.api.readings;

import io.envmon.api.problem.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A half-open range [from, to) of ISO-8601 instants from query parameters, checked. */
public record TimeRange(Instant from, Instant to) {

  /**
   * @param defaultLength the length of the range when {@code from} is absent
   */
  public static TimeRange parse(
      String fromText, String toText, Instant now, Duration defaultLength, Duration maxLength) {
    Instant to = Optional.ofNullable(toText).map(t -> instant("to", t)).orElse(now);
    Instant from =
        Optional.ofNullable(fromText).map(t -> instant("from", t)).orElse(to.minus(defaultLength));
    if (!from.isBefore(to)) {
      throw InvalidRequestException.field("from", "must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(maxLength) > 0) {
      throw InvalidRequestException.field(
          "to", "the range may span at most " + maxLength.toHours() + " h for this request");
    }
    return new TimeRange(from, to);
  }

  /** An ISO-8601 instant with offset, e.g. 2026-11-21T08:00:00Z or 2026-11-21T16:00:00+08:00. */
  public static Instant instant(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw InvalidRequestException.field(
          field,
          "'" + text + "' is not an ISO-8601 date-time with offset, e.g. 2026-11-21T08:00:00Z");
    }
  }
}
