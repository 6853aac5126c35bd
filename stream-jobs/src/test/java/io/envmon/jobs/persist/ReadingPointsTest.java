package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.wire.LineProtocol;
import io.envmon.jobs.Readings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class ReadingPointsTest {

  private final ReadingPoints mapper = new ReadingPoints();

  @Test
  void aRecentReadingIsOneLine() {
    Instant observed = Instant.now().minus(Duration.ofMinutes(5));
    LineProtocol lines = new LineProtocol();
    mapper.write(reading(observed), lines);
    assertThat(lines.text())
        .isEqualTo(
            "reading,city=qingpu,kind=AIR,point=qingpu-air-01 reading_id=\""
                + reading(observed).reading().readingId()
                + "\",source=\"MQTT\",pm25=35.0,pm25_flag=\"N\",co=0.6,co_flag=\"N\" "
                + observed.toEpochMilli()
                + "\n");
  }

  @Test
  void aLateReadingMarksItsHourForTheRollup() {
    Instant observed = Instant.now().minus(Duration.ofDays(40)).plusSeconds(5);
    LineProtocol lines = new LineProtocol();
    mapper.write(reading(observed), lines);
    assertThat(lines.lines()).isEqualTo(2);
    assertThat(lines.text())
        .endsWith(
            "\nrollup_pending,point=qingpu-air-01 late=true "
                + observed.truncatedTo(ChronoUnit.HOURS).toEpochMilli()
                + "\n");
  }

  private static io.envmon.domain.reading.AcceptedReading reading(Instant observed) {
    return Readings.reading(
        "qingpu",
        "qingpu-air-01",
        PointKind.AIR,
        observed,
        new Measurement(Parameter.byCanonicalName("pm25").orElseThrow(), 35.0, DataFlag.N),
        new Measurement(Parameter.byCanonicalName("co").orElseThrow(), 0.6, DataFlag.N));
  }
}
