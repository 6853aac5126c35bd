package io.envmon.jobs.persist;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * A reading as the InfluxDB measurement {@code reading} agreed with the API: tags city, point,
 * kind; a float field per canonical parameter and a string field {@code <param>_flag}; reading_id
 * and source; time = observedAt in ms. A replayed reading lands on the same series and timestamp
 * and overwrites itself.
 */
public final class ReadingPoints implements InfluxDbSink.PointMapper<AcceptedReading> {

  public static final String MEASUREMENT = "reading";

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
    return List.of(point.build());
  }
}
