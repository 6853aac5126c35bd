package io.envmon.domain.senml;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.ResolvedRecord.TimeBasis;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a SenML pack from a device into envmon readings (docs/gateway.md "Protocols"): each
 * record's resolved name is {@code {pointId}:{parameter}}, records of the same time form one
 * reading. A bad record is reported and left out; the others are kept.
 */
public final class SenmlReadingDecoder {

  /** envmon rule: observation times before the Unix epoch or after year 9999 are refused. */
  static final Instant EARLIEST_OBSERVATION = Instant.EPOCH;

  static final Instant LATEST_OBSERVATION = Instant.parse("9999-12-31T23:59:59.999Z");

  private final Clock clock;

  /**
   * @param clock "now" for relative SenML times (RFC 8428 §4.5.3): the time of reception
   */
  public SenmlReadingDecoder(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Decodes a SenML JSON payload sent for {@code pointId}. */
  public SenmlDecodeResult decodeJson(byte[] payload, String pointId, Source source)
      throws DecodeException {
    return decode(SenmlJson.decode(payload), pointId, source);
  }

  /** Decodes a SenML CBOR payload sent for {@code pointId}. */
  public SenmlDecodeResult decodeCbor(byte[] payload, String pointId, Source source)
      throws DecodeException {
    return decode(SenmlCbor.decode(payload), pointId, source);
  }

  /** Resolves {@code pack} against this decoder's clock and maps it to readings. */
  public SenmlDecodeResult decode(List<SenmlRecord> pack, String pointId, Source source)
      throws DecodeException {
    return toReadings(SenmlResolver.resolve(pack, clock), pointId, source);
  }

  /**
   * Maps resolved records to readings of {@code pointId}, the point named by the topic or URI the
   * pack arrived on. The resolver's errors are carried over; records are checked for the name,
   * numeric value, unit, time and duplicates, never for plausibility of the value.
   */
  public static SenmlDecodeResult toReadings(ResolvedPack pack, String pointId, Source source) {
    Objects.requireNonNull(pointId, "pointId");
    Objects.requireNonNull(source, "source");
    List<RecordError> errors = new ArrayList<>(pack.errors());
    // Readings in the order their time first appears; measurements in record order.
    Map<Instant, Map<Parameter, Measurement>> byTime = new LinkedHashMap<>();
    Map<Instant, Map<Parameter, Integer>> firstRecord = new LinkedHashMap<>();

    for (ResolvedRecord record : pack.records()) {
      List<RecordError> recordErrors = new ArrayList<>();
      Parameter parameter = parameterOf(record, pointId, recordErrors);
      Double value = numericValue(record, recordErrors);
      if (parameter != null) {
        checkUnit(record, parameter, recordErrors);
      }
      Instant observedAt = observedAt(record, recordErrors);
      if (!recordErrors.isEmpty()) {
        errors.addAll(recordErrors);
        continue;
      }
      Map<Parameter, Integer> seen =
          firstRecord.computeIfAbsent(observedAt, t -> new EnumMap<>(Parameter.class));
      Integer earlier = seen.putIfAbsent(parameter, record.index());
      if (earlier != null) {
        errors.add(
            new RecordError(
                record.index(),
                "n",
                "duplicate: "
                    + parameter.canonicalName()
                    + " at "
                    + observedAt
                    + " is already given by record "
                    + earlier));
        continue;
      }
      byTime
          .computeIfAbsent(observedAt, t -> new LinkedHashMap<>())
          .put(parameter, new Measurement(parameter, value, record.flag()));
    }

    List<Reading> readings = new ArrayList<>(byTime.size());
    byTime.forEach(
        (observedAt, measurements) ->
            readings.add(
                new Reading(
                    Reading.idFor(pointId, observedAt),
                    pointId,
                    observedAt,
                    List.copyOf(measurements.values()),
                    source)));
    errors.sort(Comparator.comparingInt(RecordError::index));
    return new SenmlDecodeResult(readings, errors);
  }

  private static Parameter parameterOf(
      ResolvedRecord record, String pointId, List<RecordError> errors) {
    String name = record.name();
    int separator = name.lastIndexOf(':');
    if (separator < 0) {
      errors.add(
          new RecordError(
              record.index(),
              "n",
              "name "
                  + Quote.text(name)
                  + " is not {pointId}:{parameter}, e.g. "
                  + pointId
                  + ":pm25"));
      return null;
    }
    String namedPoint = name.substring(0, separator);
    String parameterName = name.substring(separator + 1);
    if (!namedPoint.equals(pointId)) {
      errors.add(
          new RecordError(
              record.index(),
              "bn",
              "name "
                  + Quote.text(name)
                  + " is for point "
                  + Quote.text(namedPoint)
                  + ", but the pack was sent for point "
                  + Quote.text(pointId)));
    }
    return Parameter.byCanonicalName(parameterName)
        .orElseGet(
            () -> {
              errors.add(
                  new RecordError(
                      record.index(),
                      "n",
                      "unknown parameter "
                          + Quote.text(parameterName)
                          + " in "
                          + Quote.text(name)));
              return null;
            });
  }

  private static Double numericValue(ResolvedRecord record, List<RecordError> errors) {
    if (!(record.value() instanceof SenmlValue.Numeric numeric)) {
      errors.add(
          new RecordError(
              record.index(),
              "v",
              record.value() == null
                  ? "no numeric value v"
                  : "a measurement needs a numeric value v, found " + record.value().label()));
      return null;
    }
    if (!Double.isFinite(numeric.value())) {
      errors.add(
          new RecordError(
              record.index(), "v", "value " + numeric.value() + " is not a finite number"));
      return null;
    }
    return numeric.value();
  }

  private static void checkUnit(
      ResolvedRecord record, Parameter parameter, List<RecordError> errors) {
    // A unit is optional (RFC 8428 §4.5.2); when given it must be the parameter's canonical one.
    if (record.unit() != null && !record.unit().equals(parameter.unit())) {
      errors.add(
          new RecordError(
              record.index(),
              "u",
              "unit "
                  + Quote.text(record.unit())
                  + " is not "
                  + Quote.text(parameter.unit())
                  + ", the unit of "
                  + parameter.canonicalName()));
    }
  }

  private static Instant observedAt(ResolvedRecord record, List<RecordError> errors) {
    if (record.timeBasis() == TimeBasis.NOT_GIVEN) {
      // envmon rule: a reading says when it was measured (bt, t, or a relative t).
      errors.add(
          new RecordError(record.index(), "t", "no time: neither bt nor t applies to this record"));
      return null;
    }
    if (record.time().isBefore(EARLIEST_OBSERVATION) || record.time().isAfter(LATEST_OBSERVATION)) {
      errors.add(
          new RecordError(
              record.index(),
              "t",
              "time " + record.time() + " is outside 1970-01-01 to 9999-12-31"));
      return null;
    }
    // envmon rule: observation times have millisecond precision, like reading ids.
    return record.time().truncatedTo(ChronoUnit.MILLIS);
  }
}
