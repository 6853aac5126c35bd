package io.envmon.domain.senml;

import io.envmon.domain.Quote;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a reading as the compact SenML pack a station sends (used by the station simulator): the
 * first record carries {@code bn = "{pointId}:"}, {@code bt} and {@code bu}; one record per
 * measurement, with {@code u} only where it differs from {@code bu} and {@code flag} only when not
 * N.
 */
public final class SenmlReadingEncoder {

  private SenmlReadingEncoder() {}

  /** The pack as SenML JSON (content-format 110). */
  public static byte[] toJson(Reading reading) {
    return SenmlJson.encode(toPack(reading));
  }

  /** The pack as SenML CBOR (content-format 112). */
  public static byte[] toCbor(Reading reading) {
    return SenmlCbor.encode(toPack(reading));
  }

  /**
   * The records of the pack.
   *
   * @throws IllegalArgumentException when the reading has no measurement, a value is not finite,
   *     the point id cannot form a SenML name, or the time cannot be written as an absolute SenML
   *     time
   */
  public static List<SenmlRecord> toPack(Reading reading) {
    List<Measurement> measurements = reading.measurements();
    if (measurements.isEmpty()) {
      throw new IllegalArgumentException("reading " + reading.readingId() + " has no measurement");
    }
    String baseName = reading.pointId() + ":";
    if (!SenmlResolver.isValidName(baseName)) {
      throw new IllegalArgumentException(
          "point id "
              + Quote.text(reading.pointId())
              + " cannot start a SenML name (RFC 8428 §4.5.1)");
    }
    String baseUnit = measurements.get(0).parameter().unit();
    List<SenmlRecord> pack = new ArrayList<>(measurements.size());
    for (Measurement measurement : measurements) {
      if (!Double.isFinite(measurement.value())) {
        throw new IllegalArgumentException(
            "SenML cannot carry " + measurement.value() + " for " + measurement.parameter());
      }
      SenmlRecord.Builder record = SenmlRecord.builder();
      if (pack.isEmpty()) {
        record.bn(baseName).bt(epochSeconds(reading.observedAt())).bu(baseUnit);
      }
      String unit = measurement.parameter().unit();
      record
          .n(measurement.parameter().canonicalName())
          .u(unit.equals(baseUnit) ? null : unit)
          .v(measurement.value())
          .flag(measurement.flag() == DataFlag.N ? null : measurement.flag().name());
      pack.add(record.build());
    }
    return pack;
  }

  private static double epochSeconds(Instant observedAt) {
    // RFC 8428 §4.5.3: times below 2^28 would be read as relative to "now".
    if (observedAt.getEpochSecond() < SenmlResolver.RELATIVE_TIME_LIMIT.longValue()) {
      throw new IllegalArgumentException(
          observedAt + " is before 1978-07-04T21:24:16Z, the earliest absolute SenML time");
    }
    if (observedAt.getNano() == 0) {
      return observedAt.getEpochSecond();
    }
    return BigDecimal.valueOf(observedAt.getEpochSecond())
        .add(BigDecimal.valueOf(observedAt.getNano(), 9))
        .doubleValue();
  }
}
