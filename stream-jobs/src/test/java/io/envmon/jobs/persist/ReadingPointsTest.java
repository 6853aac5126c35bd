package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.Readings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

class ReadingPointsTest {

  private final ReadingPoints mapper = new ReadingPoints();

  @Test
  void aRecentReadingIsOnePoint() {
    List<Point> points = mapper.points(reading(Instant.now().minus(Duration.ofMinutes(5))));
    assertThat(points).hasSize(1);
    assertThat(points.get(0).lineProtocol()).startsWith("reading,");
  }

  @Test
  void aLateReadingMarksItsHourForTheRollup() {
    Instant observed = Instant.now().minus(Duration.ofDays(40)).plusSeconds(5);
    List<Point> points = mapper.points(reading(observed));
    assertThat(points).hasSize(2);
    assertThat(points.get(1).lineProtocol())
        .isEqualTo(
            "rollup_pending,point=qingpu-air-01 late=true "
                + observed.truncatedTo(ChronoUnit.HOURS).toEpochMilli() * 1_000_000);
  }

  private static io.envmon.domain.reading.AcceptedReading reading(Instant observed) {
    return Readings.reading(
        "qingpu",
        "qingpu-air-01",
        PointKind.AIR,
        observed,
        new Measurement(Parameter.byCanonicalName("pm25").orElseThrow(), 35.0, DataFlag.N));
  }
}
