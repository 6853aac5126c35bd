package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.point.MonitoringPoint;
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

@DisplayName("latest AIR names the AQI standard in force at the rated hour")
class LatestAqiStandardTest {

  private static final MonitoringPoint AIR =
      new MonitoringPoint(
          "pt-1",
          "c1",
          PointKind.AIR,
          "p",
          "p",
          31.0,
          121.0,
          PointStatus.ACTIVE,
          SharingScope.CLUSTER,
          Set.of(),
          null,
          null);

  private static RecentReading reading(Instant time, Measurement... measurements) {
    return RecentReading.of(
        new AcceptedReading(
            new Reading(
                Reading.idFor("pt-1", time), "pt-1", time, List.of(measurements), Source.MQTT),
            "c1",
            PointKind.AIR,
            "gw",
            0,
            time));
  }

  /** The hour starting at {@code hourStart} with PM2.5 80, PM10 120, NO2 150, asked right after. */
  private static LatestReading.Air workedExampleHour(Instant hourStart, AqiStandardSchedule s) {
    RecentReading r =
        reading(
            hourStart.plus(Duration.ofMinutes(30)),
            Measurement.valid(Parameter.PM25, 80),
            Measurement.valid(Parameter.PM10, 120),
            Measurement.valid(Parameter.NO2, 150));
    Instant now = hourStart.plus(Duration.ofMinutes(65));
    return LatestCalculator.latest(AIR, List.of(r), now, () -> ZoneId.of("Asia/Shanghai"), s).air();
  }

  @Test
  void februaryAndDecember2026() {
    LatestReading.Air february =
        workedExampleHour(Instant.parse("2026-02-15T04:00:00Z"), AqiStandardSchedule.DEFAULT);
    assertThat(february.aqiStandard()).isEqualTo("HJ 633-2012");
    assertThat(february.aqi()).isEqualTo(107);

    LatestReading.Air december =
        workedExampleHour(Instant.parse("2026-12-02T04:00:00Z"), AqiStandardSchedule.DEFAULT);
    assertThat(december.aqiStandard()).isEqualTo("HJ 633-2026");
    assertThat(december.aqi()).isEqualTo(119);
    assertThat(december.category()).isEqualTo("LIGHTLY_POLLUTED");
    assertThat(december.aqiPublished()).isTrue();
    assertThat(december.missingPollutants()).containsExactly("so2", "o3", "co");
  }

  @Test
  void theLastHourBeforeTheDateAndTheFirstFromIt() {
    Instant from = AqiStandardSchedule.DEFAULT_HJ_633_2026_FROM;
    assertThat(
            workedExampleHour(from.minus(Duration.ofHours(1)), AqiStandardSchedule.DEFAULT)
                .aqiStandard())
        .isEqualTo("HJ 633-2012");
    assertThat(workedExampleHour(from, AqiStandardSchedule.DEFAULT).aqiStandard())
        .isEqualTo("HJ 633-2026");
    AqiStandardSchedule later = new AqiStandardSchedule(from.plus(Duration.ofHours(1)));
    assertThat(workedExampleHour(from, later).aqiStandard()).isEqualTo("HJ 633-2012");
  }

  @Test
  void anAqiOfAtMostHundredWithAPollutantMissingIsNaBy2026() {
    Instant hourStart = Instant.parse("2026-12-02T04:00:00Z");
    RecentReading r =
        reading(hourStart.plus(Duration.ofMinutes(10)), Measurement.valid(Parameter.PM25, 40));
    LatestReading.Air air =
        LatestCalculator.latest(
                AIR,
                List.of(r),
                hourStart.plus(Duration.ofMinutes(65)),
                () -> ZoneId.of("Asia/Shanghai"),
                AqiStandardSchedule.DEFAULT)
            .air();
    assertThat(air.aqiPublished()).isFalse();
    assertThat(air.iaqi()).containsEntry("pm25", 60);
    assertThat(air.missingPollutants()).hasSize(5);
  }

  @Test
  void meteorologicalFactorsAreShownButLeaveTheAqiUnchanged() {
    Instant hourStart = Instant.parse("2026-02-15T04:00:00Z");
    Instant now = hourStart.plus(Duration.ofMinutes(65));
    RecentReading pollutants =
        reading(
            hourStart.plus(Duration.ofMinutes(30)),
            Measurement.valid(Parameter.PM25, 80),
            Measurement.valid(Parameter.PM10, 120),
            Measurement.valid(Parameter.NO2, 150));
    RecentReading withWeather =
        reading(
            hourStart.plus(Duration.ofMinutes(30)),
            Measurement.valid(Parameter.PM25, 80),
            Measurement.valid(Parameter.PM10, 120),
            Measurement.valid(Parameter.NO2, 150),
            Measurement.valid(Parameter.AIR_TEMP, -4.5),
            Measurement.valid(Parameter.RH, 92),
            Measurement.valid(Parameter.PRESSURE, 102.6),
            Measurement.valid(Parameter.WIND_SPEED, 2.1),
            Measurement.valid(Parameter.WIND_DIR, 90));
    LatestReading without =
        LatestCalculator.latest(AIR, List.of(pollutants), now, () -> ZoneId.of("Asia/Shanghai"));
    LatestReading with =
        LatestCalculator.latest(AIR, List.of(withWeather), now, () -> ZoneId.of("Asia/Shanghai"));
    assertThat(with.air()).isEqualTo(without.air());
    assertThat(with.air().aqi()).isEqualTo(107);
    assertThat(with.values())
        .containsEntry("air_temp", -4.5)
        .containsEntry("rh", 92.0)
        .containsEntry("pressure", 102.6)
        .containsEntry("wind_speed", 2.1)
        .containsEntry("wind_dir", 90.0);

    RecentReading weatherAlone =
        reading(
            hourStart.plus(Duration.ofMinutes(30)),
            Measurement.valid(Parameter.AIR_TEMP, 20),
            Measurement.valid(Parameter.RH, 60));
    LatestReading alone =
        LatestCalculator.latest(AIR, List.of(weatherAlone), now, () -> ZoneId.of("Asia/Shanghai"));
    assertThat(alone.air()).isNull();
    assertThat(alone.values()).containsEntry("air_temp", 20.0);
  }
}
