package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("latest NOISE reads day and night with the city's night window")
class LatestNoiseNightTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final NightWindow ELEVEN_TO_SEVEN = NightWindow.parse("23:00-07:00");

  private static final MonitoringPoint NOISE =
      new MonitoringPoint(
          "n-1",
          "c1",
          PointKind.NOISE,
          "n",
          "n",
          31.0,
          121.0,
          PointStatus.ACTIVE,
          SharingScope.CLUSTER,
          Set.of(),
          null,
          NoiseZone.Z2);

  private static LatestReading.Noise latestAt(String localTime, NightWindow night) {
    Instant time = Instant.parse("2025-11-21T" + localTime + ":00+08:00");
    RecentReading r =
        RecentReading.of(
            new AcceptedReading(
                new Reading(
                    Reading.idFor("n-1", time),
                    "n-1",
                    time,
                    List.of(Measurement.valid(Parameter.LEQ, 55)),
                    Source.MQTT),
                "c1",
                PointKind.NOISE,
                "gw",
                0,
                time));
    return LatestCalculator.latest(
            NOISE,
            List.of(r),
            time.plus(Duration.ofMinutes(1)),
            () -> SHANGHAI,
            night,
            AqiStandardSchedule.DEFAULT)
        .noise();
  }

  @Test
  void withANightOfElevenToSevenHalfPastTenIsDayAndHalfPastSixIsNight() {
    LatestReading.Noise at2230 = latestAt("22:30", ELEVEN_TO_SEVEN);
    assertThat(at2230.period()).isEqualTo("DAY");
    assertThat(at2230.limitDbA()).isEqualTo(60);
    assertThat(at2230.compliant()).isTrue();
    assertThat(at2230.night()).isEqualTo("23:00-07:00");

    LatestReading.Noise at0630 = latestAt("06:30", ELEVEN_TO_SEVEN);
    assertThat(at0630.period()).isEqualTo("NIGHT");
    assertThat(at0630.limitDbA()).isEqualTo(50);
    assertThat(at0630.exceedanceDbA()).isEqualTo(5.0);
  }

  @Test
  void theDefaultNightIsTwentyTwoToSix() {
    LatestReading.Noise at2230 = latestAt("22:30", NightWindow.DEFAULT);
    assertThat(at2230.period()).isEqualTo("NIGHT");
    assertThat(at2230.night()).isEqualTo("22:00-06:00");
  }
}
