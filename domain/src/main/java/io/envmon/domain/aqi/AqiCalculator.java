package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Hourly and daily AQI per HJ 633 (§4, §5; table 1 of the 2012 version, table 3 of the 2026
 * version), with envmon's rules for hourly PM. The methods without an {@link AqiStandard} compute
 * by HJ 633-2012, as before; pick the version in force with {@link AqiStandardSchedule#at}.
 */
public final class AqiCalculator {

  private AqiCalculator() {}

  /**
   * The hourly (real-time) AQI from 1h means by {@code standard}. envmon rule: SO2, NO2, CO and O3
   * use their 1h breakpoints; PM10 and PM2.5 use the 24h breakpoints (the 2012 standard gives no 1h
   * PM limits; HJ 633-2026 4.2.4 says so). Parameters that are not AQI pollutants are ignored;
   * absent pollutants are left out and counted as missing (HJ 633-2026 5.3.1).
   *
   * <p>SO2 1h above 800 µg/m³: HJ 633-2012 note (a) rates it by the SO2 24h mean when the caller
   * has it; without one, envmon rule: the 1h mean is read against the 24h breakpoints, which never
   * rates it below IAQI 200. HJ 633-2026 note (b): it counts IAQI 200 (the 24h mean is not used).
   *
   * @throws IllegalArgumentException for a negative or non-finite concentration
   */
  public static AqiResult hourly(
      AqiStandard standard,
      Map<Parameter, Double> oneHourMeans,
      OptionalDouble so2TwentyFourHourMean) {
    Map<Parameter, Integer> iaqi = new EnumMap<>(Parameter.class);
    oneHourMeans.forEach(
        (parameter, mean) -> {
          Breakpoints column =
              switch (parameter) {
                case SO2 -> AqiStandard.SO2_1H;
                case NO2 -> AqiStandard.NO2_1H;
                case CO -> AqiStandard.CO_1H;
                case O3 -> AqiStandard.O3_1H;
                case PM10 -> standard.pm10();
                case PM25 -> standard.pm25();
                default -> null;
              };
          if (column == null) {
            return;
          }
          double c = standard.concentration(parameter, mean);
          if (parameter == Parameter.SO2 && c > AqiStandard.SO2_1H.top().doubleValue()) {
            if (standard == AqiStandard.HJ_633_2026) {
              iaqi.put(parameter, 200);
            } else {
              double substitute = so2TwentyFourHourMean.orElse(c);
              iaqi.put(
                  parameter,
                  AqiStandard.SO2_24H.iaqi(standard.concentration(parameter, substitute)));
            }
          } else {
            iaqi.put(parameter, column.iaqi(c));
          }
        });
    Set<Parameter> missing = EnumSet.noneOf(Parameter.class);
    missing.addAll(AqiStandard.HOURLY_POLLUTANTS);
    missing.removeAll(iaqi.keySet());
    return result(standard, iaqi, missing);
  }

  /** The hourly AQI by {@code standard} without an SO2 24h mean at hand. */
  public static AqiResult hourly(AqiStandard standard, Map<Parameter, Double> oneHourMeans) {
    return hourly(standard, oneHourMeans, OptionalDouble.empty());
  }

  /** The hourly AQI by HJ 633-2012 (see {@link #hourly(AqiStandard, Map, OptionalDouble)}). */
  public static AqiResult hourly(
      Map<Parameter, Double> oneHourMeans, OptionalDouble so2TwentyFourHourMean) {
    return hourly(AqiStandard.HJ_633_2012, oneHourMeans, so2TwentyFourHourMean);
  }

  /** The hourly AQI by HJ 633-2012 without an SO2 24h mean at hand. */
  public static AqiResult hourly(Map<Parameter, Double> oneHourMeans) {
    return hourly(AqiStandard.HJ_633_2012, oneHourMeans, OptionalDouble.empty());
  }

  /** The daily AQI by HJ 633-2012 (see {@link #daily(AqiStandard, DailyConcentrations)}). */
  public static AqiResult daily(DailyConcentrations day) {
    return daily(AqiStandard.HJ_633_2012, day);
  }

  /**
   * The daily AQI from 24h means, the day's maximum O3 1h mean and maximum O3 8h moving mean.
   * Absent values are null and left out. HJ 633-2012: the O3 IAQI is the larger of its 8h and 1h
   * IAQI; an O3 8h mean above 800 µg/m³ is rated by the O3 1h IAQI (table 1 note (b)). HJ 633-2026:
   * the 1h columns are for real-time reports only, so O3 is rated by its 8h mean alone, and an 8h
   * mean above 800 counts IAQI 300 (table 3 note (c)); without an 8h mean the O3 1h maximum is not
   * used. The daily report is {@link DailyAirQuality}.
   */
  public static AqiResult daily(AqiStandard standard, DailyConcentrations day) {
    Map<Parameter, Integer> iaqi = new EnumMap<>(Parameter.class);
    putIfPresent(standard, iaqi, Parameter.SO2, day.so2(), AqiStandard.SO2_24H);
    putIfPresent(standard, iaqi, Parameter.NO2, day.no2(), AqiStandard.NO2_24H);
    putIfPresent(standard, iaqi, Parameter.PM10, day.pm10(), standard.pm10());
    putIfPresent(standard, iaqi, Parameter.CO, day.co(), AqiStandard.CO_24H);
    putIfPresent(standard, iaqi, Parameter.PM25, day.pm25(), standard.pm25());
    Integer o3EightHour = null;
    Double eightHour = day.o3MaxEightHour();
    if (standard == AqiStandard.HJ_633_2026) {
      if (eightHour != null) {
        double c = standard.concentration(Parameter.O3, eightHour);
        o3EightHour = c > AqiStandard.O3_8H.top().doubleValue() ? 300 : AqiStandard.O3_8H.iaqi(c);
        iaqi.put(Parameter.O3, o3EightHour);
      }
    } else {
      Integer o3OneHour =
          day.o3MaxOneHour() == null
              ? null
              : AqiStandard.O3_1H.iaqi(standard.concentration(Parameter.O3, day.o3MaxOneHour()));
      if (eightHour != null) {
        double c = standard.concentration(Parameter.O3, eightHour);
        o3EightHour =
            c > AqiStandard.O3_8H.top().doubleValue() ? o3OneHour : AqiStandard.O3_8H.iaqi(c);
      }
      if (o3OneHour != null || o3EightHour != null) {
        iaqi.put(
            Parameter.O3,
            Math.max(o3OneHour == null ? 0 : o3OneHour, o3EightHour == null ? 0 : o3EightHour));
      }
    }
    Set<Parameter> missing = EnumSet.noneOf(Parameter.class);
    missing.addAll(AqiStandard.HOURLY_POLLUTANTS);
    missing.removeAll(iaqi.keySet());
    return result(standard, iaqi, missing);
  }

  private static void putIfPresent(
      AqiStandard standard,
      Map<Parameter, Integer> iaqi,
      Parameter parameter,
      Double mean,
      Breakpoints column) {
    if (mean != null) {
      iaqi.put(parameter, column.iaqi(standard.concentration(parameter, mean)));
    }
  }

  /** AQI = max IAQI (HJ 633 §4.2); primary when AQI > 50; exceeding when IAQI > 100. */
  private static AqiResult result(
      AqiStandard standard, Map<Parameter, Integer> iaqi, Set<Parameter> missing) {
    if (iaqi.isEmpty()) {
      throw new IllegalArgumentException("no AQI pollutant given");
    }
    int aqi = Collections.max(iaqi.values());
    List<Parameter> primary = new ArrayList<>();
    List<Parameter> exceeding = new ArrayList<>();
    iaqi.forEach(
        (parameter, value) -> {
          if (aqi > 50 && value == aqi) {
            primary.add(parameter);
          }
          if (value > 100) {
            exceeding.add(parameter);
          }
        });
    return new AqiResult(
        aqi,
        AqiCategory.of(aqi),
        iaqi,
        primary,
        exceeding,
        standard,
        missing,
        standard.publishes(aqi, missing.isEmpty()));
  }
}
