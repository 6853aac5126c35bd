package io.envmon.domain.validation;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a decoded reading against the registry and against what can physically be measured
 * (docs/gateway.md "Validation"), for a city's gateway (live readings) and for an import of its
 * history (the API, docs/api.md "Import"): the same rules, except that history has no lateness
 * horizon. Refusals of the whole reading (unknown point, other city, future time, too old) and of
 * single values (wrong kind, not finite, impossible) are told apart: a bad value is left out and
 * the reading's other values are kept.
 */
public final class ReadingValidator {

  /** envmon rule: a station clock may run at most this far ahead of the gateway's. */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  /**
   * envmon rule: a reading observed longer ago than this is refused — the lateness horizon, the
   * same default as the stream jobs' {@code envmon.lateness-horizon}.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

  /** Where readings enter, as the refusals name it and its clock. */
  private enum Intake {
    GATEWAY("this gateway serves city ", "the gateway clock "),
    IMPORT("this import is for city ", "the platform clock ");

    final String serves;
    final String clock;

    Intake(String serves, String clock) {
      this.serves = serves;
      this.clock = clock;
    }
  }

  private final String cityId;
  private final PointLookup registry;
  private final Clock clock;
  private final Duration maxFutureSkew;
  private final Duration maxAge; // null: no lateness horizon (an import of history)
  private final Intake intake;

  private ReadingValidator(
      String cityId,
      PointLookup registry,
      Clock clock,
      Duration maxFutureSkew,
      Duration maxAge,
      Intake intake) {
    this.cityId = Objects.requireNonNull(cityId, "cityId");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    this.maxAge = maxAge;
    this.intake = intake;
  }

  /** A city's gateway: live readings, refused beyond the lateness horizon {@code maxAge}. */
  public ReadingValidator(
      String cityId, PointLookup registry, Clock clock, Duration maxFutureSkew, Duration maxAge) {
    this(
        cityId,
        registry,
        clock,
        maxFutureSkew,
        Objects.requireNonNull(maxAge, "maxAge"),
        Intake.GATEWAY);
  }

  public ReadingValidator(String cityId, PointLookup registry, Clock clock) {
    this(cityId, registry, clock, DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_AGE);
  }

  /**
   * An import of a city's history: the gateway's rules, judged by the platform's clock, without the
   * lateness horizon (history is old by nature).
   */
  public static ReadingValidator forImport(String cityId, PointLookup registry, Clock clock) {
    return new ReadingValidator(
        cityId, registry, clock, DEFAULT_MAX_FUTURE_SKEW, null, Intake.IMPORT);
  }

  public String cityId() {
    return cityId;
  }

  /**
   * The point a device sends for, if it may send for it at this gateway: known, of this city, not
   * DECOMMISSIONED (a PLANNED point is accepted, see {@link RefusalReason#POINT_DECOMMISSIONED}).
   */
  public Verdict checkPoint(String pointId) {
    var point = registry.find(pointId);
    if (point.isEmpty()) {
      return new Verdict.Refused(
          new Refusal(
              RefusalReason.UNKNOWN_POINT,
              "",
              "point '" + pointId + "' is not in the registry of city " + cityId));
    }
    if (!point.get().cityId().equals(cityId)) {
      return new Verdict.Refused(
          new Refusal(
              RefusalReason.POINT_OF_OTHER_CITY,
              "",
              "point '"
                  + pointId
                  + "' belongs to city "
                  + point.get().cityId()
                  + ", "
                  + intake.serves
                  + cityId));
    }
    if (point.get().status() == PointStatus.DECOMMISSIONED) {
      return new Verdict.Refused(
          new Refusal(
              RefusalReason.POINT_DECOMMISSIONED,
              "",
              "point '" + pointId + "' is DECOMMISSIONED; it takes no more readings"));
    }
    return new Verdict.Accepted(null, point.get(), List.of());
  }

  /** Validates one reading; see the class comment for which refusals keep the rest. */
  public Verdict validate(Reading reading) {
    Verdict pointCheck = checkPoint(reading.pointId());
    if (pointCheck instanceof Verdict.Refused) {
      return pointCheck;
    }
    MonitoringPoint point = ((Verdict.Accepted) pointCheck).point();
    Instant now = clock.instant();
    Instant latestAllowed = now.plus(maxFutureSkew);
    if (reading.observedAt().isAfter(latestAllowed)) {
      return new Verdict.Refused(
          new Refusal(
              RefusalReason.FUTURE_TIMESTAMP,
              "t",
              "observation time "
                  + reading.observedAt()
                  + " is more than "
                  + maxFutureSkew.toMinutes()
                  + " min ahead of "
                  + intake.clock
                  + now));
    }
    if (maxAge != null && reading.observedAt().isBefore(now.minus(maxAge))) {
      return new Verdict.Refused(
          new Refusal(
              RefusalReason.TOO_OLD,
              "t",
              "observation time "
                  + reading.observedAt()
                  + " is more than "
                  + describe(maxAge)
                  + " before "
                  + intake.clock
                  + now
                  + ": readings older than that are no longer taken (validation.max.age)"));
    }
    List<Measurement> kept = new ArrayList<>();
    List<Refusal> refusals = new ArrayList<>();
    for (Measurement measurement : reading.measurements()) {
      Refusal refusal = check(measurement, point);
      if (refusal == null) {
        kept.add(measurement);
      } else {
        refusals.add(refusal);
      }
    }
    if (kept.isEmpty()) {
      return refusals.isEmpty()
          ? new Verdict.Refused(
              new Refusal(RefusalReason.MALFORMED, "", "the reading has no measurement"))
          : new Verdict.Refused(refusals);
    }
    Reading accepted =
        kept.size() == reading.measurements().size()
            ? reading
            : new Reading(
                reading.readingId(),
                reading.pointId(),
                reading.observedAt(),
                kept,
                reading.source());
    return new Verdict.Accepted(accepted, point, refusals);
  }

  /** "7 days", "36 h", "90 min", else the ISO-8601 form. */
  static String describe(Duration duration) {
    if (duration.toSeconds() % 86_400 == 0 && duration.toNanosPart() == 0) {
      long days = duration.toDays();
      return days + (days == 1 ? " day" : " days");
    }
    if (duration.toSeconds() % 3_600 == 0 && duration.toNanosPart() == 0) {
      return duration.toHours() + " h";
    }
    if (duration.toSeconds() % 60 == 0 && duration.toNanosPart() == 0) {
      return duration.toMinutes() + " min";
    }
    return duration.toString();
  }

  private static Refusal check(Measurement measurement, MonitoringPoint point) {
    Parameter parameter = measurement.parameter();
    String name = parameter.canonicalName();
    if (parameter.kind() != point.kind()) {
      return new Refusal(
          RefusalReason.PARAMETER_NOT_OF_KIND,
          name,
          name
              + " is a "
              + parameter.kind()
              + " parameter; point '"
              + point.id()
              + "' is a "
              + point.kind()
              + " point");
    }
    double value = measurement.value();
    if (!Double.isFinite(value)) {
      return new Refusal(RefusalReason.NOT_FINITE, name, "value " + value + " is not finite");
    }
    PlausibleRange range = PlausibleRange.of(parameter);
    if (!range.contains(value)) {
      return new Refusal(
          RefusalReason.IMPOSSIBLE_VALUE,
          name,
          "value " + value + " " + parameter.unit() + " is outside " + range);
    }
    return null;
  }
}
