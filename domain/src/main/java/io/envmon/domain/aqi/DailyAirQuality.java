package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The daily report's statistics (日报, HJ 633 5.2) from a natural day's hourly means, with the data
 * validity rules of GB 3095-2012 §8 table 4 and HJ 663: a 24h mean needs at least 20 valid hourly
 * means; an O3 8h moving mean at least 6 of its 8 hours; the daily maximum 8h mean at least 14
 * valid 8h means among those ending 08:00…24:00. A city's (or cluster's) value is the arithmetic
 * mean of its points' valid values (HJ 663).
 */
public final class DailyAirQuality {

  /** The pollutants of the daily report, in HJ 633's table order. */
  public static final List<Parameter> POLLUTANTS =
      List.of(
          Parameter.SO2, Parameter.NO2, Parameter.PM10, Parameter.CO, Parameter.O3, Parameter.PM25);

  /** GB 3095-2012 table 4: a 24h mean needs at least 20 hourly means of the day. */
  public static final int MIN_HOURLY_MEANS_PER_DAY = 20;

  /** GB 3095-2012 table 4: an 8h mean needs at least 6 hourly means of its 8 hours. */
  public static final int MIN_HOURLY_MEANS_PER_EIGHT_HOURS = 6;

  /** HJ 663: the daily maximum 8h mean needs at least 14 valid 8h means ending 08:00…24:00. */
  public static final int MIN_EIGHT_HOUR_MEANS_PER_DAY = 14;

  private DailyAirQuality() {}

  /**
   * The 24h mean of a day's hourly means.
   *
   * @param hourlyMeans one entry per clock hour of the day from local midnight (23 or 25 on a
   *     daylight-saving day), null where the hour has no valid mean
   */
  public static DailyStatistic twentyFourHourMean(List<Double> hourlyMeans) {
    double sum = 0;
    int count = 0;
    for (Double mean : hourlyMeans) {
      if (mean != null) {
        sum += mean;
        count++;
      }
    }
    if (count < MIN_HOURLY_MEANS_PER_DAY) {
      return DailyStatistic.missing(
          count,
          count
              + " valid hourly means; a 24-h mean needs at least "
              + MIN_HOURLY_MEANS_PER_DAY
              + " (GB 3095-2012 table 4)");
    }
    return DailyStatistic.valid(sum / count, count);
  }

  /**
   * O3's daily maximum 8h mean: the largest valid 8h moving mean among the windows ending at 08:00,
   * 09:00 … 24:00 of the day (each covering the 8 hours before its end), valid when at least 14 of
   * them are — or, with fewer, when the largest of them already exceeds {@code limit} (HJ 663: an
   * exceedance found in fewer valid means still counts). {@code basis} counts the valid 8h means.
   *
   * @param hourlyMeans as for {@link #twentyFourHourMean}
   * @param limit the O3 daily maximum 8h limit of the standard in force (µg/m³)
   */
  public static DailyStatistic o3MaxEightHourMean(List<Double> hourlyMeans, double limit) {
    double max = Double.NEGATIVE_INFINITY;
    int validWindows = 0;
    for (int end = 8; end <= hourlyMeans.size(); end++) {
      double sum = 0;
      int count = 0;
      for (Double mean : hourlyMeans.subList(end - 8, end)) {
        if (mean != null) {
          sum += mean;
          count++;
        }
      }
      if (count >= MIN_HOURLY_MEANS_PER_EIGHT_HOURS) {
        validWindows++;
        max = Math.max(max, sum / count);
      }
    }
    if (validWindows < MIN_EIGHT_HOUR_MEANS_PER_DAY && !(max > limit)) {
      return DailyStatistic.missing(
          validWindows,
          validWindows
              + " valid 8-h means (each needs "
              + MIN_HOURLY_MEANS_PER_EIGHT_HOURS
              + " of its 8 hourly means); the daily maximum needs at least "
              + MIN_EIGHT_HOUR_MEANS_PER_DAY
              + " (GB 3095-2012 table 4, HJ 663)");
    }
    return DailyStatistic.valid(max, validWindows);
  }

  /**
   * The day's largest valid O3 hourly mean, used only by HJ 633-2012 (its daily O3 IAQI is the
   * larger of the 1h and 8h IAQI); null without one. envmon rule: any valid hour counts.
   */
  public static Double o3MaxOneHourMean(List<Double> hourlyMeans) {
    return hourlyMeans.stream().filter(Objects::nonNull).max(Double::compare).orElse(null);
  }

  /**
   * A city's (or cluster's) statistic: the arithmetic mean of its points' valid statistics (HJ
   * 663); {@code basis} counts the points it rests on.
   */
  public static DailyStatistic meanOverPoints(List<DailyStatistic> pointStatistics) {
    double sum = 0;
    int count = 0;
    for (DailyStatistic statistic : pointStatistics) {
      if (statistic.isValid()) {
        sum += statistic.value();
        count++;
      }
    }
    if (count == 0) {
      return DailyStatistic.missing(
          0, "no point with a valid value of " + pointStatistics.size() + " points");
    }
    return DailyStatistic.valid(sum / count, count);
  }

  /** The mean of the values present, null when none is (for the 2012 O3 1h maximum). */
  public static Double meanOfPresent(List<Double> values) {
    OptionalDouble mean =
        values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).average();
    return mean.isPresent() ? mean.getAsDouble() : null;
  }

  /**
   * A point's day from its hourly means per pollutant (see {@link #twentyFourHourMean} for the
   * lists; a pollutant absent from the map had no hourly mean at all).
   */
  public static DailyAirRating ofHourlyMeans(
      AqiStandard standard, Map<Parameter, List<Double>> hourlyMeans) {
    Map<Parameter, DailyStatistic> statistics = new EnumMap<>(Parameter.class);
    for (Parameter pollutant : POLLUTANTS) {
      List<Double> hours = hourlyMeans.getOrDefault(pollutant, List.of());
      statistics.put(
          pollutant,
          pollutant == Parameter.O3
              ? o3MaxEightHourMean(hours, AirQualityLimits.of(standard).limit(Parameter.O3))
              : twentyFourHourMean(hours));
    }
    Double o3MaxOneHour = o3MaxOneHourMean(hourlyMeans.getOrDefault(Parameter.O3, List.of()));
    return rate(standard, statistics, o3MaxOneHour);
  }

  /**
   * The day's IAQI, AQI (HJ 633 by {@code standard}; HJ 633-2026 5.3.1 for missing pollutants) and
   * exceedances of the grade II limits that go with it, from its statistics.
   *
   * @param o3MaxOneHour the day's largest O3 hourly mean, used by HJ 633-2012 only; may be null
   */
  public static DailyAirRating rate(
      AqiStandard standard, Map<Parameter, DailyStatistic> statistics, Double o3MaxOneHour) {
    AirQualityLimits limits = AirQualityLimits.of(standard);
    Map<Parameter, Double> reported = new EnumMap<>(Parameter.class);
    List<Parameter> exceeding = new ArrayList<>();
    for (Parameter pollutant : POLLUTANTS) {
      DailyStatistic statistic = statistics.get(pollutant);
      if (statistic != null && statistic.isValid()) {
        double value = reported(pollutant, statistic.value());
        reported.put(pollutant, value);
        if (value > limits.limit(pollutant)) {
          exceeding.add(pollutant);
        }
      }
    }
    DailyConcentrations day =
        new DailyConcentrations(
            valueOf(statistics, Parameter.SO2),
            valueOf(statistics, Parameter.NO2),
            valueOf(statistics, Parameter.PM10),
            valueOf(statistics, Parameter.CO),
            valueOf(statistics, Parameter.PM25),
            standard == AqiStandard.HJ_633_2012 ? o3MaxOneHour : null,
            valueOf(statistics, Parameter.O3));
    boolean any =
        reported.size() > 0 || (standard == AqiStandard.HJ_633_2012 && o3MaxOneHour != null);
    AqiResult aqi = any ? AqiCalculator.daily(standard, day) : null;
    return new DailyAirRating(
        standard, limits, statistics, reported, aqi, Collections.unmodifiableList(exceeding));
  }

  /**
   * A daily statistic as it is reported and compared with its limit: rounded by GB/T 8170 (round
   * half to even) to integers in µg/m³, CO to one decimal in mg/m³ — the HJ 633-2026 4.2.2 rule,
   * envmon's for the report of every day.
   */
  public static double reported(Parameter pollutant, double value) {
    return AqiStandard.HJ_633_2026.concentration(pollutant, value);
  }

  private static Double valueOf(Map<Parameter, DailyStatistic> statistics, Parameter pollutant) {
    DailyStatistic statistic = statistics.get(pollutant);
    return statistic == null ? null : statistic.value();
  }
}
