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
import static org.assertj.core.api.Assertions.within;

import io.envmon.domain.reading.Parameter;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName(
    "the daily report (日报): 24-h means, O3 8-h maximum, validity, AQI by the day's version")
class DailyAirQualityTest {

  /** GB 3095 grade II O3 daily maximum 8-h limit (2012, and 2026 phase 1). */
  private static final double O3_LIMIT = 160.0;

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** A day of 24 equal hourly means. */
  private static List<Double> flat(double value) {
    return new ArrayList<>(Collections.nCopies(24, value));
  }

  /** O3 40 µg/m³ all day but 120 from 10:00 to 18:00 (hours 10…17). */
  private static List<Double> o3Afternoon() {
    List<Double> hours = flat(40.0);
    for (int hour = 10; hour < 18; hour++) {
      hours.set(hour, 120.0);
    }
    return hours;
  }

  /** The hourly means of hours 0 … count−1, the rest missing. */
  private static List<Double> firstHours(int count, double value) {
    List<Double> hours = flat(value);
    for (int hour = count; hour < 24; hour++) {
      hours.set(hour, null);
    }
    return hours;
  }

  private static final Map<Parameter, List<Double>> SAME_DAY =
      Map.of(
          SO2, flat(10.0),
          NO2, flat(40.0),
          CO, flat(0.8),
          PM10, flat(100.0),
          PM25, flat(70.0),
          O3, o3Afternoon());

  @Nested
  @DisplayName("a February 2026 day and a December 2026 day with the same concentrations")
  class VersionOfTheDay {

    private AqiStandard inForceOn(LocalDate day) {
      return AqiStandardSchedule.DEFAULT.at(day.atStartOfDay(SHANGHAI).toInstant());
    }

    @Test
    @DisplayName("2026-02-14 is rated by HJ 633-2012: PM2.5 70 → 94 良, no GB 3095-2012 exceedance")
    void februaryByTheOldVersion() {
      AqiStandard standard = inForceOn(LocalDate.of(2026, 2, 14));
      assertThat(standard).isEqualTo(HJ_633_2012);

      DailyAirRating day = DailyAirQuality.ofHourlyMeans(standard, SAME_DAY);

      // PM2.5 70 in 35…75 → 50 + 50 × 35/40 = 93.75 → 94; PM10 100 → 75; NO2 40 → 50; CO 0.8 → 20;
      // O3 8h max 120 → 66.7 → 67, its 1h max 120 → 37.5 → 38, the larger counts.
      assertThat(day.aqi().iaqi())
          .containsEntry(PM25, 94)
          .containsEntry(PM10, 75)
          .containsEntry(NO2, 50)
          .containsEntry(SO2, 10)
          .containsEntry(CO, 20)
          .containsEntry(O3, 67);
      assertThat(day.aqi().aqi()).isEqualTo(94);
      assertThat(day.aqi().category()).isEqualTo(AqiCategory.of(94));
      assertThat(day.aqi().category().zhName()).isEqualTo("良");
      assertThat(day.aqi().primaryPollutants()).containsExactly(PM25);
      assertThat(day.limits()).isEqualTo(AirQualityLimits.GB_3095_2012);
      assertThat(day.exceedances()).isEmpty();
    }

    @Test
    @DisplayName("2026-12-14 is rated by HJ 633-2026: PM2.5 70 → 110 轻度污染, above GB 3095-2026's 60")
    void decemberByTheNewVersion() {
      AqiStandard standard = inForceOn(LocalDate.of(2026, 12, 14));
      assertThat(standard).isEqualTo(HJ_633_2026);

      DailyAirRating day = DailyAirQuality.ofHourlyMeans(standard, SAME_DAY);

      // PM2.5 70 in 60…115 → 100 + 50 × 10/55 = 109.1 → 110; PM10 100 in 50…120 → 85.7 → 86.
      assertThat(day.aqi().iaqi())
          .containsEntry(PM25, 110)
          .containsEntry(PM10, 86)
          .containsEntry(NO2, 50)
          .containsEntry(O3, 67);
      assertThat(day.aqi().aqi()).isEqualTo(110);
      assertThat(day.aqi().category()).isEqualTo(AqiCategory.LIGHTLY_POLLUTED);
      assertThat(day.aqi().primaryPollutants()).containsExactly(PM25);
      assertThat(day.aqi().aqiPublished()).isTrue();
      assertThat(day.limits()).isEqualTo(AirQualityLimits.GB_3095_2026);
      assertThat(day.exceedances()).containsExactly(PM25);
      assertThat(day.exceedanceMultiple(PM25)).isCloseTo(10.0 / 60.0, within(1e-9));
      assertThat(day.exceedanceMultiple(PM10)).isNull();
    }

    @Test
    @DisplayName("the first day of HJ 633-2026 is 2026-03-01 in the city's time")
    void firstDayOfTheNewVersion() {
      assertThat(inForceOn(LocalDate.of(2026, 2, 28))).isEqualTo(HJ_633_2012);
      assertThat(inForceOn(LocalDate.of(2026, 3, 1))).isEqualTo(HJ_633_2026);
    }
  }

  @Nested
  @DisplayName("24-h means")
  class TwentyFourHourMeans {

    @Test
    @DisplayName("20 valid hourly means make a 24-h mean of those hours")
    void twentyHoursSuffice() {
      List<Double> hours = firstHours(20, 30.0);
      hours.set(0, 50.0);

      DailyStatistic mean = DailyAirQuality.twentyFourHourMean(hours);

      assertThat(mean.value()).isEqualTo((50.0 + 19 * 30.0) / 20);
      assertThat(mean.basis()).isEqualTo(20);
    }

    @Test
    @DisplayName("19 valid hourly means make none, and the reason says so")
    void nineteenHoursDoNot() {
      DailyStatistic mean = DailyAirQuality.twentyFourHourMean(firstHours(19, 30.0));

      assertThat(mean.isValid()).isFalse();
      assertThat(mean.basis()).isEqualTo(19);
      assertThat(mean.missingReason()).contains("19 valid hourly means").contains("at least 20");
    }
  }

  @Nested
  @DisplayName("O3 daily maximum 8-h mean")
  class OzoneEightHours {

    @Test
    @DisplayName("the largest of the 17 windows ending 08:00 … 24:00")
    void largestWindow() {
      DailyStatistic max = DailyAirQuality.o3MaxEightHourMean(o3Afternoon(), O3_LIMIT);

      // The window ending 18:00 holds hours 10…17, all 120.
      assertThat(max.value()).isEqualTo(120.0);
      assertThat(max.basis()).isEqualTo(17);
    }

    @Test
    @DisplayName("a window counts with 6 of its 8 hours, averaged over those")
    void sixOfEightHours() {
      List<Double> hours = flat(40.0);
      hours.set(16, 200.0);
      hours.set(17, 200.0);
      hours.set(18, 200.0);
      hours.set(19, 200.0);
      hours.set(20, 200.0);
      hours.set(21, 200.0);
      hours.set(22, null);
      hours.set(23, null);

      DailyStatistic max = DailyAirQuality.o3MaxEightHourMean(hours, O3_LIMIT);

      // Window ending 24:00: hours 16…23, 6 valid, all 200. (Ending 23:00: 15…22, 7 valid.)
      assertThat(max.value()).isEqualTo(200.0);
      assertThat(max.basis()).isEqualTo(17);
    }

    @Test
    @DisplayName("a window with 5 of its 8 hours does not count")
    void fiveOfEightHours() {
      List<Double> hours = flat(40.0);
      for (int hour = 16; hour < 21; hour++) {
        hours.set(hour, 300.0);
      }
      hours.set(21, null);
      hours.set(22, null);
      hours.set(23, null);

      DailyStatistic max = DailyAirQuality.o3MaxEightHourMean(hours, O3_LIMIT);

      // Ending 24:00 (hours 16…23) has 5 valid, all 300: out. Ending 23:00 (15…22) has 6: hour 15
      // at 40 and five at 300.
      assertThat(max.basis()).isEqualTo(16);
      assertThat(max.value()).isEqualTo((40.0 + 5 * 300.0) / 6);
    }

    @Test
    @DisplayName("14 valid 8-h means suffice (hours 00…18), 13 do not (hours 00…17)")
    void fourteenWindows() {
      DailyStatistic fourteen = DailyAirQuality.o3MaxEightHourMean(firstHours(19, 80.0), O3_LIMIT);
      assertThat(fourteen.basis()).isEqualTo(14);
      assertThat(fourteen.value()).isEqualTo(80.0);

      DailyStatistic thirteen = DailyAirQuality.o3MaxEightHourMean(firstHours(18, 80.0), O3_LIMIT);
      assertThat(thirteen.isValid()).isFalse();
      assertThat(thirteen.basis()).isEqualTo(13);
      assertThat(thirteen.missingReason()).contains("13 valid 8-h means").contains("14");
    }

    @Test
    @DisplayName("HJ 663: fewer than 14 valid 8-h means still give the maximum when it exceeds")
    void anExceedanceInFewerWindowsCounts() {
      List<Double> hours = firstHours(18, 80.0);
      for (int hour = 10; hour < 18; hour++) {
        hours.set(hour, 200.0);
      }
      DailyStatistic max = DailyAirQuality.o3MaxEightHourMean(hours, O3_LIMIT);
      assertThat(max.basis()).isEqualTo(13);
      assertThat(max.value()).isEqualTo(200.0);
    }

    @Test
    @DisplayName("HJ 633-2026: an O3 8-h maximum above 800 counts IAQI 300")
    void aboveEightHundred() {
      Map<Parameter, List<Double>> day = Map.of(O3, flat(850.0));

      assertThat(DailyAirQuality.ofHourlyMeans(HJ_633_2026, day).aqi().iaqi())
          .containsEntry(O3, 300);
    }
  }

  @Nested
  @DisplayName("a pollutant without enough data (HJ 633-2026 5.3.1)")
  class MissingPollutant {

    private final Map<Parameter, List<Double>> pm25Short =
        Map.of(
            SO2, flat(10.0),
            NO2, flat(40.0),
            CO, flat(0.8),
            PM10, flat(60.0),
            PM25, firstHours(19, 30.0),
            O3, o3Afternoon());

    @Test
    @DisplayName("2026: AQI ≤ 100 with PM2.5 missing is NA; the others keep their IAQI")
    void notPublishedUnderHundred() {
      DailyAirRating day = DailyAirQuality.ofHourlyMeans(HJ_633_2026, pm25Short);

      assertThat(day.statistics().get(PM25).isValid()).isFalse();
      assertThat(day.reported()).doesNotContainKey(PM25);
      assertThat(day.aqi().missingPollutants()).containsExactly(PM25);
      assertThat(day.aqi().aqiPublished()).isFalse();
      assertThat(day.aqi().aqiText()).isEqualTo("NA");
      assertThat(day.aqi().iaqi()).containsEntry(O3, 67).doesNotContainKey(PM25);
    }

    @Test
    @DisplayName("2026: an AQI above 100 is published though PM2.5 is missing")
    void publishedAboveHundred() {
      Map<Parameter, List<Double>> day = new java.util.HashMap<>(pm25Short);
      day.put(PM10, flat(200.0));

      DailyAirRating rating = DailyAirQuality.ofHourlyMeans(HJ_633_2026, day);

      // PM10 200 in 120…250 → 100 + 50 × 80/130 = 130.8 → 131
      assertThat(rating.aqi().aqi()).isEqualTo(131);
      assertThat(rating.aqi().aqiPublished()).isTrue();
      assertThat(rating.exceedances()).containsExactly(PM10);
    }

    @Test
    @DisplayName("a day without any valid statistic has no AQI")
    void nothingValid() {
      DailyAirRating day =
          DailyAirQuality.ofHourlyMeans(HJ_633_2026, Map.of(PM25, firstHours(3, 30.0)));

      assertThat(day.aqi()).isNull();
      assertThat(day.statistics()).hasSize(6);
      assertThat(day.statistics().get(SO2).missingReason()).contains("0 valid hourly means");
    }
  }

  @Test
  @DisplayName("a city's value is the mean of its points' valid values")
  void cityMean() {
    DailyStatistic city =
        DailyAirQuality.meanOverPoints(
            List.of(
                DailyAirQuality.twentyFourHourMean(flat(70.0)),
                DailyAirQuality.twentyFourHourMean(flat(50.0)),
                DailyAirQuality.twentyFourHourMean(firstHours(10, 500.0))));

    assertThat(city.value()).isEqualTo(60.0);
    assertThat(city.basis()).isEqualTo(2);
  }

  @Test
  @DisplayName("reported values are rounded by GB/T 8170: 34.5 → 34, CO 2.25 → 2.2")
  void reportedRounding() {
    assertThat(DailyAirQuality.reported(PM25, 34.5)).isEqualTo(34.0);
    assertThat(DailyAirQuality.reported(CO, 2.25)).isEqualTo(2.2);
  }
}
