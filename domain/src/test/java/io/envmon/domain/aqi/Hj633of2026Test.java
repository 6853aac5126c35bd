package io.envmon.domain.aqi;

import static io.envmon.domain.aqi.AqiStandard.HJ_633_2012;
import static io.envmon.domain.aqi.AqiStandard.HJ_633_2026;
import static io.envmon.domain.reading.Parameter.CO;
import static io.envmon.domain.reading.Parameter.NO2;
import static io.envmon.domain.reading.Parameter.O3;
import static io.envmon.domain.reading.Parameter.PM10;
import static io.envmon.domain.reading.Parameter.PM25;
import static io.envmon.domain.reading.Parameter.SO2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("AQI per HJ 633-2026 beside HJ 633-2012 (docs/standards.md §3)")
class Hj633of2026Test {

  private static final Map<Parameter, Double> ALL_SIX_LOW =
      Map.of(SO2, 5.0, NO2, 10.0, CO, 0.4, O3, 30.0, PM10, 20.0, PM25, 10.0);

  @Nested
  @DisplayName("worked examples of docs/standards.md §3")
  class WorkedExamples {

    @Test
    @DisplayName("PM2.5 80, PM10 120, NO2 150: 2026 → 119 (119, 100, 75), 2012 → 107 (107, 85, 75)")
    void pm25EightyPm10HundredTwentyNo2HundredFifty() {
      Map<Parameter, Double> means = Map.of(PM25, 80.0, PM10, 120.0, NO2, 150.0);

      AqiResult now = AqiCalculator.hourly(HJ_633_2026, means);
      assertThat(now.iaqi())
          .containsEntry(PM25, 119)
          .containsEntry(PM10, 100)
          .containsEntry(NO2, 75);
      assertThat(now.aqi()).isEqualTo(119);
      assertThat(now.primaryPollutants()).containsExactly(PM25);
      assertThat(now.category()).isEqualTo(AqiCategory.LIGHTLY_POLLUTED);
      assertThat(now.category().zhName()).isEqualTo("轻度污染");
      assertThat(now.standard()).isEqualTo(HJ_633_2026);
      // SO2, CO and O3 are missing (5.3.1), but an AQI above 100 is published.
      assertThat(now.missingPollutants()).containsExactlyInAnyOrder(SO2, CO, O3);
      assertThat(now.aqiPublished()).isTrue();

      AqiResult before = AqiCalculator.hourly(HJ_633_2012, means);
      assertThat(before.iaqi())
          .containsEntry(PM25, 107)
          .containsEntry(PM10, 85)
          .containsEntry(NO2, 75);
      assertThat(before.aqi()).isEqualTo(107);
      assertThat(before.standard()).isEqualTo(HJ_633_2012);
    }

    @Test
    @DisplayName("PM2.5 75: 2026 → 114 轻度污染, 2012 → 100 良")
    void pm25SeventyFive() {
      AqiResult now = AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, 75.0));
      assertThat(now.aqi()).isEqualTo(114);
      assertThat(now.category().zhName()).isEqualTo("轻度污染");
      AqiResult before = AqiCalculator.hourly(HJ_633_2012, Map.of(PM25, 75.0));
      assertThat(before.aqi()).isEqualTo(100);
      assertThat(before.category().zhName()).isEqualTo("良");
    }

    @Test
    @DisplayName("PM2.5 35.1: 2026 rounds it to 35 → 50 优, 2012 → 51 良")
    void pm25ThirtyFivePointOne() {
      AqiResult now = AqiCalculator.hourly(HJ_633_2026, with(PM25, 35.1));
      assertThat(now.aqi()).isEqualTo(50);
      assertThat(now.category().zhName()).isEqualTo("优");
      AqiResult before = AqiCalculator.hourly(HJ_633_2012, with(PM25, 35.1));
      assertThat(before.aqi()).isEqualTo(51);
      assertThat(before.category().zhName()).isEqualTo("良");
    }
  }

  @Nested
  @DisplayName("GB/T 8170 rounding of concentrations (4.2.2, 4.2.3)")
  class Rounding {

    @ParameterizedTest(name = "{0} {1} is read as {2}")
    @CsvSource({
      "pm25, 34.5, 34",
      "pm25, 35.5, 36",
      "pm25, 34.6, 35",
      "pm25, 34.4, 34",
      "pm10, 120.5, 120",
      "pm10, 121.5, 122",
      "so2, 0.5, 0",
      "no2, 1.5, 2",
      "o3, 160.5, 160",
      "co, 2.25, 2.2",
      "co, 2.35, 2.4",
      "co, 2.26, 2.3",
      "co, 2.24, 2.2"
    })
    void roundHalfToEven(String name, double value, double read) {
      Parameter parameter = Parameter.byCanonicalName(name).orElseThrow();
      assertThat(HJ_633_2026.concentration(parameter, value)).isEqualTo(read);
    }

    @Test
    void hj633of2012DoesNotRound() {
      assertThat(HJ_633_2012.concentration(PM25, 34.5)).isEqualTo(34.5);
      assertThat(HJ_633_2012.concentration(CO, 2.25)).isEqualTo(2.25);
    }

    @Test
    void theIaqiIsComputedFromTheRoundedConcentration() {
      // 35.5 → 36: 50 + 50/25 × 1 = 52; 34.5 → 34: 50/35 × 34 = 48.57 → 49
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, 35.5)).aqi()).isEqualTo(52);
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, 34.5)).aqi()).isEqualTo(49);
      // CO 10.05 → 10.0 → exactly 100 (unrounded it would be 100.1 → 101)
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(CO, 10.05)).iaqi())
          .containsEntry(CO, 100);
      assertThat(AqiCalculator.hourly(HJ_633_2012, Map.of(CO, 10.05)).iaqi())
          .containsEntry(CO, 101);
    }

    @Test
    void theIaqiIsRoundedUp() {
      // PM2.5 61: 100 + 50/55 × 1 = 100.9 → 101 (4.2.6 进位取整)
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, 61.0)).aqi()).isEqualTo(101);
    }

    @Test
    void negativeOrNonFiniteConcentrationsAreRefused() {
      assertThatThrownBy(() -> AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, -0.4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pm25");
      assertThatThrownBy(() -> AqiCalculator.hourly(HJ_633_2026, Map.of(CO, Double.NaN)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("the tables' boundary values")
  class Tables {

    @ParameterizedTest(name = "2026 {0} {1} gives IAQI {2}")
    @CsvSource({
      "pm25, 0, 0",
      "pm25, 35, 50",
      "pm25, 60, 100",
      "pm25, 115, 150",
      "pm25, 150, 200",
      "pm25, 250, 300",
      "pm25, 350, 400",
      "pm25, 500, 500",
      "pm25, 501, 500",
      "pm10, 0, 0",
      "pm10, 50, 50",
      "pm10, 120, 100",
      "pm10, 250, 150",
      "pm10, 350, 200",
      "pm10, 420, 300",
      "pm10, 500, 400",
      "pm10, 600, 500",
      "so2, 150, 50",
      "so2, 500, 100",
      "so2, 650, 150",
      "so2, 800, 200",
      "no2, 100, 50",
      "no2, 200, 100",
      "no2, 700, 150",
      "no2, 1200, 200",
      "no2, 2340, 300",
      "no2, 3090, 400",
      "no2, 3840, 500",
      "co, 5, 50",
      "co, 10, 100",
      "co, 35, 150",
      "co, 60, 200",
      "co, 90, 300",
      "co, 120, 400",
      "co, 150, 500",
      "o3, 160, 50",
      "o3, 200, 100",
      "o3, 300, 150",
      "o3, 400, 200",
      "o3, 800, 300",
      "o3, 1000, 400",
      "o3, 1200, 500"
    })
    void hj633of2026Table3(String name, double concentration, int iaqi) {
      Parameter parameter = Parameter.byCanonicalName(name).orElseThrow();
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(parameter, concentration)).iaqi())
          .containsEntry(parameter, iaqi);
    }

    @ParameterizedTest(name = "2012 {0} {1} gives IAQI {2}")
    @CsvSource({
      "pm25, 0, 0",
      "pm25, 35, 50",
      "pm25, 75, 100",
      "pm25, 115, 150",
      "pm25, 150, 200",
      "pm25, 250, 300",
      "pm25, 350, 400",
      "pm25, 500, 500",
      "pm10, 50, 50",
      "pm10, 150, 100",
      "pm10, 250, 150",
      "pm10, 350, 200",
      "pm10, 420, 300",
      "pm10, 500, 400",
      "pm10, 600, 500",
      "so2, 150, 50",
      "so2, 500, 100",
      "so2, 650, 150",
      "so2, 800, 200",
      "no2, 200, 100",
      "co, 10, 100",
      "o3, 200, 100",
      "o3, 1200, 500"
    })
    void hj633of2012Table1(String name, double concentration, int iaqi) {
      Parameter parameter = Parameter.byCanonicalName(name).orElseThrow();
      assertThat(AqiCalculator.hourly(HJ_633_2012, Map.of(parameter, concentration)).iaqi())
          .containsEntry(parameter, iaqi);
    }

    @Test
    void dailyColumnsOfBothVersions() {
      DailyConcentrations day =
          new DailyConcentrations(475.0, 180.0, 120.0, 14.0, 60.0, null, 215.0);
      assertThat(AqiCalculator.daily(HJ_633_2026, day).iaqi())
          .containsEntry(SO2, 150)
          .containsEntry(NO2, 150)
          .containsEntry(PM10, 100)
          .containsEntry(CO, 150)
          .containsEntry(PM25, 100)
          .containsEntry(O3, 150);
      assertThat(AqiCalculator.daily(HJ_633_2012, day).iaqi())
          .containsEntry(PM10, 85)
          .containsEntry(PM25, 82); // 50 + 50/40 × 25 = 81.25 → 82
    }
  }

  @Nested
  @DisplayName("above 800 µg/m³")
  class AboveEightHundred {

    @Test
    void so2OneHourAboveEightHundredCountsTwoHundredIn2026() {
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(SO2, 900.0)).iaqi())
          .containsEntry(SO2, 200);
      // the 24h mean is not used by HJ 633-2026
      assertThat(
              AqiCalculator.hourly(HJ_633_2026, Map.of(SO2, 2000.0), OptionalDouble.of(1600))
                  .iaqi())
          .containsEntry(SO2, 200);
      // 800.4 rounds to 800 → 200; 800.6 rounds to 801 → counts 200
      assertThat(AqiCalculator.hourly(HJ_633_2026, Map.of(SO2, 800.6)).iaqi())
          .containsEntry(SO2, 200);
    }

    @Test
    void so2OneHourAboveEightHundredTakesTheTwentyFourHourIaqiIn2012() {
      assertThat(
              AqiCalculator.hourly(HJ_633_2012, Map.of(SO2, 900.0), OptionalDouble.of(1600)).iaqi())
          .containsEntry(SO2, 300);
      // envmon rule without a 24h mean: 900 on the 24h column → 212.5 → 213
      assertThat(AqiCalculator.hourly(HJ_633_2012, Map.of(SO2, 900.0)).iaqi())
          .containsEntry(SO2, 213);
    }

    @Test
    void ozoneEightHourAboveEightHundredCountsThreeHundredIn2026() {
      DailyConcentrations day =
          new DailyConcentrations(null, null, null, null, null, 1100.0, 850.0);
      assertThat(AqiCalculator.daily(HJ_633_2026, day).iaqi()).containsEntry(O3, 300);
    }

    @Test
    void ozoneEightHourAboveEightHundredUsesTheOneHourIaqiIn2012() {
      DailyConcentrations day =
          new DailyConcentrations(null, null, null, null, null, 1100.0, 850.0);
      // 1h 1100: 400 + 100/200 × 100 = 450
      assertThat(AqiCalculator.daily(HJ_633_2012, day).iaqi()).containsEntry(O3, 450);
      assertThat(AqiCalculator.daily(day).iaqi()).containsEntry(O3, 450);
    }
  }

  @Nested
  @DisplayName("a missing or invalid pollutant (5.3.1)")
  class MissingPollutant {

    @Test
    void allSixGivenIsPublished() {
      AqiResult result = AqiCalculator.hourly(HJ_633_2026, ALL_SIX_LOW);
      assertThat(result.missingPollutants()).isEmpty();
      assertThat(result.aqiPublished()).isTrue();
      assertThat(result.publishedAqi()).hasValue(result.aqi());
    }

    @Test
    void anAqiOfAtMostHundredWithAPollutantMissingIsNa() {
      Map<Parameter, Double> fiveOfSix = new java.util.EnumMap<>(ALL_SIX_LOW);
      fiveOfSix.remove(O3);
      fiveOfSix.put(PM25, 60.0); // IAQI 100
      AqiResult result = AqiCalculator.hourly(HJ_633_2026, fiveOfSix);
      assertThat(result.missingPollutants()).containsExactly(O3);
      assertThat(result.aqi()).isEqualTo(100);
      assertThat(result.aqiPublished()).isFalse();
      assertThat(result.publishedAqi()).isEmpty();
      assertThat(result.aqiText()).isEqualTo("NA");
      // the single pollutants' IAQIs are still given
      assertThat(result.iaqi()).containsEntry(PM25, 100).hasSize(5);
    }

    @Test
    void anAqiAboveHundredWithAPollutantMissingIsPublished() {
      AqiResult result = AqiCalculator.hourly(HJ_633_2026, Map.of(PM25, 61.0));
      assertThat(result.aqi()).isEqualTo(101);
      assertThat(result.aqiPublished()).isTrue();
      assertThat(result.aqiText()).isEqualTo("101");
    }

    @Test
    void hj633of2012AlwaysPublishes() {
      AqiResult result = AqiCalculator.hourly(HJ_633_2012, Map.of(PM25, 20.0));
      assertThat(result.missingPollutants()).hasSize(5);
      assertThat(result.aqiPublished()).isTrue();
    }
  }

  @Nested
  @DisplayName("the version in force at an instant")
  class Schedule {

    @Test
    void theDefaultDateIsMarchFirst2026InShanghai() {
      assertThat(AqiStandardSchedule.DEFAULT.hj633of2026From())
          .isEqualTo(Instant.parse("2026-02-28T16:00:00Z"));
      assertThat(AqiStandardSchedule.parse("2026-03-01T00:00+08:00"))
          .isEqualTo(AqiStandardSchedule.DEFAULT);
      assertThat(AqiStandardSchedule.parse("2026-02-28T16:00:00Z"))
          .isEqualTo(AqiStandardSchedule.DEFAULT);
      assertThat(AqiStandardSchedule.parse(" ")).isEqualTo(AqiStandardSchedule.DEFAULT);
    }

    @Test
    void theDateItselfIsIn2026() {
      AqiStandardSchedule schedule = AqiStandardSchedule.DEFAULT;
      assertThat(schedule.at(Instant.parse("2026-02-28T15:59:59.999Z"))).isEqualTo(HJ_633_2012);
      assertThat(schedule.at(Instant.parse("2026-02-28T16:00:00Z"))).isEqualTo(HJ_633_2026);
    }

    @Test
    void theDateIsConfigurable() {
      AqiStandardSchedule later = AqiStandardSchedule.parse("2026-07-01T00:00+08:00");
      assertThat(later.at(Instant.parse("2026-05-01T00:00:00Z"))).isEqualTo(HJ_633_2012);
      assertThat(later.at(Instant.parse("2026-06-30T16:00:00Z"))).isEqualTo(HJ_633_2026);
    }

    @Test
    void aDateThatIsNotIsoIsRefusedByName() {
      assertThatThrownBy(() -> AqiStandardSchedule.parse("1 March 2026"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 March 2026");
    }

    @Test
    @DisplayName("the same concentrations in February and December 2026")
    void februaryAndDecember2026() {
      Map<Parameter, Double> means = Map.of(PM25, 80.0, PM10, 120.0, NO2, 150.0);
      AqiStandardSchedule schedule = AqiStandardSchedule.DEFAULT;
      AqiStandard february = schedule.at(Instant.parse("2026-02-15T04:00:00Z"));
      AqiStandard december = schedule.at(Instant.parse("2026-12-02T04:00:00Z"));
      assertThat(february).isEqualTo(HJ_633_2012);
      assertThat(december).isEqualTo(HJ_633_2026);
      assertThat(AqiCalculator.hourly(february, means).aqi()).isEqualTo(107);
      assertThat(AqiCalculator.hourly(december, means).aqi()).isEqualTo(119);
    }

    @Test
    void standardsAreNamedAsCited() {
      assertThat(HJ_633_2026.code()).isEqualTo("HJ 633-2026");
      assertThat(AqiStandard.byCode("HJ 633-2012")).isEqualTo(HJ_633_2012);
    }
  }

  private static Map<Parameter, Double> with(Parameter parameter, double value) {
    Map<Parameter, Double> means = new java.util.EnumMap<>(ALL_SIX_LOW);
    means.put(parameter, value);
    return means;
  }
}
