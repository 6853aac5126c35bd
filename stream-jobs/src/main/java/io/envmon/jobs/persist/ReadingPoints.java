package io.envmon.jobs.persist;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.wire.LineProtocol;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A reading as the InfluxDB measurement {@code reading} agreed with the API: tags city, point,
 * kind; a float field per canonical parameter and a string field {@code <param>_flag}; reading_id
 * and source; time = observedAt in ms. A replayed reading lands on the same series and timestamp
 * and overwrites itself. A reading observed more than {@link #LATE_AFTER} before it is written also
 * marks its hour in {@link ReadingStore#PENDING}, in the same batch and shard, so the API's rollup
 * computes that hour's stored aggregates again (docs/infrastructure.md, "Retention").
 */
public final class ReadingPoints implements InfluxDbSink.PointMapper<AcceptedReading> {

  public static final String MEASUREMENT = ReadingStore.READING;

  /**
   * Younger readings are covered by the rollup's sweep of the recent hours (the API's {@code
   * envmon.retention.sweep-window}, 3 h, must stay longer).
   */
  public static final Duration LATE_AFTER = Duration.ofHours(1);

  @Override
  public void write(AcceptedReading accepted, LineProtocol lines) {
    Reading reading = accepted.reading();
    Instant observed = reading.observedAt();
    lines
        .measurement(MEASUREMENT)
        .tag("city", accepted.cityId())
        .tag("kind", accepted.kind().name())
        .tag("point", reading.pointId())
        .field("reading_id", reading.readingId())
        .field("source", reading.source().name());
    for (Measurement m : reading.measurements()) {
      String name = m.parameter().canonicalName();
      // InfluxDB has no NaN or infinity; a non-finite value keeps only its flag.
      if (Double.isFinite(m.value())) {
        lines.field(name, m.value());
      }
      lines.field(name + "_flag", m.flag().name());
    }
    lines.time(observed.toEpochMilli());
    if (observed.isBefore(Instant.now().minus(LATE_AFTER))) {
      lines
          .measurement(ReadingStore.PENDING)
          .tag("point", reading.pointId())
          .field("late", true)
          .time(observed.truncatedTo(ChronoUnit.HOURS).toEpochMilli());
    }
  }
}
