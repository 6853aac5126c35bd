package io.envmon.jobs.persist;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.ReadingStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

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
  public List<Point> points(AcceptedReading accepted) {
    Reading reading = accepted.reading();
    Point.Builder point =
        Point.measurement(MEASUREMENT)
            .time(reading.observedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", accepted.cityId())
            .tag("point", reading.pointId())
            .tag("kind", accepted.kind().name())
            .addField("reading_id", reading.readingId())
            .addField("source", reading.source().name());
    for (Measurement m : reading.measurements()) {
      String name = m.parameter().canonicalName();
      // InfluxDB has no NaN or infinity; a non-finite value keeps only its flag.
      if (Double.isFinite(m.value())) {
        point.addField(name, m.value());
      }
      point.addField(name + "_flag", m.flag().name());
    }
    Instant observed = reading.observedAt();
    if (observed.isBefore(Instant.now().minus(LATE_AFTER))) {
      return List.of(
          point.build(),
          Point.measurement(ReadingStore.PENDING)
              .time(observed.truncatedTo(ChronoUnit.HOURS).toEpochMilli(), TimeUnit.MILLISECONDS)
              .tag("point", reading.pointId())
              .addField("late", true)
              .build());
    }
    return List.of(point.build());
  }
}
