package io.envmon.domain.aqi;

import static io.envmon.domain.reading.Parameter.CO;
import static io.envmon.domain.reading.Parameter.NO2;
import static io.envmon.domain.reading.Parameter.O3;
import static io.envmon.domain.reading.Parameter.PM10;
import static io.envmon.domain.reading.Parameter.PM25;
import static io.envmon.domain.reading.Parameter.SO2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.reading.Parameter;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("AQI per HJ 633-2012")
class AqiCalculatorTest {

  @Test
  @DisplayName(
      "worked example of docs/standards.md §3: PM2.5 80, PM10 120, NO2 150 give AQI 107, PM2.5")
  void workedExample() {
    AqiResult result = AqiCalculator.hourly(Map.of(PM25, 80.0, PM10, 120.0, NO2, 150.0));

    assertThat(result.iaqi())
        .containsEntry(PM25, 107)
        .containsEntry(PM10, 85)
        .containsEntry(NO2, 75);
    assertThat(result.aqi()).isEqualTo(107);
    assertThat(result.primaryPollutants()).containsExactly(PM25);
    assertThat(result.exceedingPollutants()).containsExactly(PM25);
    assertThat(result.category()).isEqualTo(AqiCategory.LIGHTLY_POLLUTED);
    assertThat(result.category().zhName()).isEqualTo("轻度污染");
  }

  @ParameterizedTest(name = "PM2.5 {0} µg/m³ is IAQI {1}")
  @CsvSource({"0,0", "35,50", "75,100", "115,150", "150,200", "250,300", "350,400", "500,500"})
  void aConcentrationOnABreakpointGivesExactlyItsIaqi(double pm25, int iaqi) {
    assertThat(AqiCalculator.hourly(Map.of(PM25, pm25)).aqi()).isEqualTo(iaqi);
  }

  @ParameterizedTest(name = "{0} {1} gives IAQI {2}")
  @CsvSource({
    "so2, 150, 50", "so2, 500, 100", "so2, 800, 200",
    "no2, 100, 50", "no2, 1200, 200", "no2, 3840, 500",
    "co, 5, 50", "co, 60, 200", "co, 150, 500",
    "o3, 160, 50", "o3, 400, 200", "o3, 1200, 500",
    "pm10, 50, 50", "pm10, 350, 200", "pm10, 600, 500"
  })
  void hourlyBreakpointsOfEachPollutant(String name, double concentration, int iaqi) {
    Parameter parameter = Parameter.byCanonicalName(name).orElseThrow();
    assertThat(AqiCalculator.hourly(Map.of(parameter, concentration)).iaqi().get(parameter))
        .isEqualTo(iaqi);
  }

  @Test
  void iaqiIsRoundedUpNotToTheNearest() {
    // PM2.5 35.1: 50 + 50/40 × 0.1 = 50.125 → 51
    assertThat(AqiCalculator.hourly(Map.of(PM25, 35.1)).aqi()).isEqualTo(51);
  }

  @Test
  void aConcentrationAboveTheTopBreakpointIsRatedFiveHundred() {
    assertThat(AqiCalculator.hourly(Map.of(PM25, 900.0)).aqi()).isEqualTo(500);
  }

  @Test
  void so2OneHourAboveEightHundredIsRatedByItsTwentyFourHourMean() {
    AqiResult result = AqiCalculator.hourly(Map.of(SO2, 900.0), OptionalDouble.of(475));
    assertThat(result.iaqi()).containsEntry(SO2, 150);
  }

  @Test
  void so2OneHourAboveEightHundredWithoutADailyMeanIsReadOnTheDailyScale() {
    // 900 on the 24h column: 200 + 100/800 × 100 = 212.5 → 213
    assertThat(AqiCalculator.hourly(Map.of(SO2, 900.0)).iaqi()).containsEntry(SO2, 213);
  }

  @Test
  void pollutantsTiedAtTheMaximumAreAllPrimary() {
    AqiResult result = AqiCalculator.hourly(Map.of(PM25, 75.0, PM10, 150.0, CO, 1.0));
    assertThat(result.aqi()).isEqualTo(100);
    assertThat(result.primaryPollutants()).containsExactlyInAnyOrder(PM25, PM10);
    assertThat(result.exceedingPollutants()).isEmpty();
  }

  @Test
  void noPrimaryPollutantWhenTheAirIsGood() {
    AqiResult result = AqiCalculator.hourly(Map.of(PM25, 20.0, NO2, 40.0));
    assertThat(result.aqi()).isEqualTo(29);
    assertThat(result.primaryPollutants()).isEmpty();
    assertThat(result.category()).isEqualTo(AqiCategory.GOOD);
  }

  @Test
  void dailyAqiUsesTwentyFourHourBreakpoints() {
    // SO2 24h 150 → 100; NO2 24h 80 → 100; the hourly NO2 scale would give 40.
    AqiResult result =
        AqiCalculator.daily(new DailyConcentrations(150.0, 80.0, null, null, null, null, null));
    assertThat(result.iaqi()).containsEntry(SO2, 100).containsEntry(NO2, 100);
  }

  @Test
  void dailyOzoneTakesTheLargerOfItsEightHourAndOneHourIaqi() {
    AqiResult result =
        AqiCalculator.daily(new DailyConcentrations(null, null, null, null, null, 200.0, 215.0));
    // 1h 200 → 100; 8h 215 → 150
    assertThat(result.iaqi()).containsEntry(O3, 150);
  }

  @Test
  void ozoneEightHourAboveEightHundredIsRatedByItsOneHourIaqi() {
    AqiResult result =
        AqiCalculator.daily(new DailyConcentrations(null, null, null, null, null, 1000.0, 850.0));
    assertThat(result.iaqi()).containsEntry(O3, 400);
  }

  @Test
  void negativeOrNonFiniteConcentrationsAreRefused() {
    assertThatThrownBy(() -> AqiCalculator.hourly(Map.of(PM25, -1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pm25");
    assertThatThrownBy(() -> AqiCalculator.hourly(Map.of(PM10, Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "AQI {0} is {1}")
  @CsvSource({
    "0, GOOD",
    "50, GOOD",
    "51, MODERATE",
    "100, MODERATE",
    "101, LIGHTLY_POLLUTED",
    "150, LIGHTLY_POLLUTED",
    "151, MODERATELY_POLLUTED",
    "200, MODERATELY_POLLUTED",
    "201, HEAVILY_POLLUTED",
    "300, HEAVILY_POLLUTED",
    "301, SEVERELY_POLLUTED",
    "500, SEVERELY_POLLUTED"
  })
  void categoryBoundaries(int aqi, AqiCategory category) {
    assertThat(AqiCategory.of(aqi)).isEqualTo(category);
  }

  @Test
  void categoriesCarryTheirChineseAndEnglishNamesAndColours() {
    assertThat(AqiCategory.HEAVILY_POLLUTED.zhLevel()).isEqualTo("五级");
    assertThat(AqiCategory.HEAVILY_POLLUTED.zhName()).isEqualTo("重度污染");
    assertThat(AqiCategory.HEAVILY_POLLUTED.enName()).isEqualTo("Heavily polluted");
    assertThat(AqiCategory.HEAVILY_POLLUTED.colour()).isEqualTo("purple");
    assertThat(AqiCategory.HEAVILY_POLLUTED.isHeavyOrWorse()).isTrue();
    assertThat(AqiCategory.MODERATELY_POLLUTED.isHeavyOrWorse()).isFalse();
  }
}
