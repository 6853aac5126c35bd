package io.envmon.sim.station;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.water.WaterClass;
import io.envmon.domain.water.WaterQualityClassifier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Simulated station firmware")
class StationsTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant DAY = Instant.parse("2025-11-20T16:00:00Z"); // 00:00 local

  private static final AirStation AIR =
      new AirStation("wujiang-air-01", "wujiang", SHANGHAI, Duration.ofMinutes(1), 42);
  private static final WaterStation WATER =
      new WaterStation("wujiang-water-taipu-01", "wujiang", SHANGHAI, Duration.ofHours(4), 42);
  private static final NoiseStation NOISE =
      new NoiseStation(
          "wujiang-noise-01", "wujiang", SHANGHAI, NoiseZone.Z4A, Duration.ofMinutes(1), 42);

  private static Instant localHour(int hour) {
    return DAY.plus(Duration.ofHours(hour));
  }

  private static Map<Parameter, Double> values(List<Measurement> measurements) {
    Map<Parameter, Double> values = new EnumMap<>(Parameter.class);
    measurements.forEach(m -> values.put(m.parameter(), m.value()));
    return values;
  }

  @Test
  void theSameSeedAndInstantGiveTheSameReadingWhateverTheOrderOfCalls() {
    Instant later = localHour(15);
    List<Measurement> first = AIR.measure(later);
    AIR.measure(localHour(3));
    assertThat(AIR.measure(later)).isEqualTo(first);
  }

  @Test
  void anotherSeedGivesOtherValues() {
    AirStation other =
        new AirStation("wujiang-air-01", "wujiang", SHANGHAI, Duration.ofMinutes(1), 7);
    assertThat(other.measure(localHour(10))).isNotEqualTo(AIR.measure(localHour(10)));
  }

  @Test
  void everyParameterOfTheKindIsReportedAsValidData() {
    assertThat(AIR.measure(localHour(9)))
        .extracting(Measurement::parameter)
        .containsExactly(
            Parameter.PM25,
            Parameter.PM10,
            Parameter.SO2,
            Parameter.NO2,
            Parameter.O3,
            Parameter.CO,
            Parameter.AIR_TEMP,
            Parameter.RH,
            Parameter.PRESSURE,
            Parameter.WIND_SPEED,
            Parameter.WIND_DIR);
    assertThat(AIR.measure(localHour(9))).allMatch(Measurement::isValidData);
    assertThat(WATER.measure(localHour(9))).allMatch(Measurement::isValidData);
    assertThat(NOISE.measure(localHour(9))).hasSize(5).allMatch(Measurement::isValidData);
  }

  @Test
  void ozonePeaksInTheAfternoonNotAtNight() {
    double afternoon = values(AIR.measure(localHour(14))).get(Parameter.O3);
    double night = values(AIR.measure(localHour(3))).get(Parameter.O3);
    assertThat(afternoon).isGreaterThan(night * 2);
  }

  @Test
  void theWeatherFollowsItsDailyCurvesWithinPlausibleRanges() {
    // a week in late November: afternoons warmer and drier than the nights before them
    for (int day = 0; day < 7; day++) {
      Map<Parameter, Double> dawn = values(AIR.measure(localHour(24 * day + 5)));
      Map<Parameter, Double> afternoon = values(AIR.measure(localHour(24 * day + 14)));
      assertThat(afternoon.get(Parameter.AIR_TEMP))
          .as("day %d", day)
          .isGreaterThan(dawn.get(Parameter.AIR_TEMP) + 3);
      assertThat(afternoon.get(Parameter.RH)).as("day %d", day).isLessThan(dawn.get(Parameter.RH));
    }
    for (int hour = 0; hour < 24 * 7; hour++) {
      Map<Parameter, Double> air = values(AIR.measure(localHour(hour)));
      assertThat(air.get(Parameter.AIR_TEMP)).as("hour %d", hour).isBetween(-5.0, 25.0);
      assertThat(air.get(Parameter.RH)).as("hour %d", hour).isBetween(25.0, 100.0);
      assertThat(air.get(Parameter.PRESSURE)).as("hour %d", hour).isBetween(100.5, 103.0);
      assertThat(air.get(Parameter.WIND_SPEED)).as("hour %d", hour).isBetween(0.2, 12.0);
      assertThat(air.get(Parameter.WIND_DIR)).as("hour %d", hour).isBetween(0.0, 359.0);
    }
    // July is warmer than November
    Instant july = Instant.parse("2026-07-15T06:00:00Z"); // 14:00 local
    assertThat(values(AIR.measure(july)).get(Parameter.AIR_TEMP)).isGreaterThan(25.0);
  }

  @Test
  void anOrdinaryWeekOfAirStaysBelowHeavyPollution() {
    for (int hour = 0; hour < 24 * 7; hour++) {
      Map<Parameter, Double> air = values(AIR.measure(localHour(hour)));
      assertThat(AqiCalculator.hourly(air).aqi()).as("hour %d", hour).isLessThanOrEqualTo(200);
    }
  }

  @Test
  void anOrdinaryRiverSectionMeetsClassThree() {
    for (int hour = 0; hour < 24 * 7; hour += 4) {
      Map<Parameter, Double> water = values(WATER.measure(localHour(hour)));
      assertThat(WaterQualityClassifier.assess(water, WaterBody.RIVER).compliesWith(WaterClass.III))
          .as("hour %d: %s", hour, water)
          .isTrue();
    }
  }

  @Test
  void trafficNoiseIsLouderByDayThanAtNightAndOrdinarilyWithinTheZoneLimits() {
    double rushHour = values(NOISE.measure(localHour(8))).get(Parameter.LEQ);
    double night = values(NOISE.measure(localHour(3))).get(Parameter.LEQ);
    assertThat(rushHour).isGreaterThan(night + 8).isLessThanOrEqualTo(70);
    assertThat(night).isLessThanOrEqualTo(55);
  }
}
