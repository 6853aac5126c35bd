package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Hourly and daily AQI per HJ 633-2012 (§4, §5, table 1), with envmon's rules for hourly PM. */
public final class AqiCalculator {

  // HJ 633-2012 table 1 columns, µg/m³ (CO mg/m³), at IAQI 0, 50, 100, 150, 200, 300, 400, 500.
  static final Breakpoints SO2_24H = Breakpoints.of(0, 50, 150, 475, 800, 1600, 2100, 2620);
  static final Breakpoints SO2_1H = Breakpoints.of(0, 150, 500, 650, 800);
  static final Breakpoints NO2_24H = Breakpoints.of(0, 40, 80, 180, 280, 565, 750, 940);
  static final Breakpoints NO2_1H = Breakpoints.of(0, 100, 200, 700, 1200, 2340, 3090, 3840);
  static final Breakpoints PM10_24H = Breakpoints.of(0, 50, 150, 250, 350, 420, 500, 600);
  static final Breakpoints CO_24H = Breakpoints.of(0, 2, 4, 14, 24, 36, 48, 60);
  static final Breakpoints CO_1H = Breakpoints.of(0, 5, 10, 35, 60, 90, 120, 150);
  static final Breakpoints O3_1H = Breakpoints.of(0, 160, 200, 300, 400, 800, 1000, 1200);
  static final Breakpoints O3_8H = Breakpoints.of(0, 100, 160, 215, 265, 800);
  static final Breakpoints PM25_24H = Breakpoints.of(0, 35, 75, 115, 150, 250, 350, 500);

  private AqiCalculator() {}

  /**
   * The hourly (real-time) AQI from 1h means. envmon rule: SO2, NO2, CO and O3 use their 1h
   * breakpoints; PM10 and PM2.5 use the 24h breakpoints (the standard gives no 1h PM limits).
   * Parameters that are not AQI pollutants are ignored; absent pollutants are left out.
   *
   * @param so2TwentyFourHourMean the SO2 24h mean, used when the SO2 1h mean exceeds 800 µg/m³
   *     (table 1 note (a)); when absent, envmon rule: the 1h mean is read against the 24h
   *     breakpoints, which never rates it below IAQI 200
   * @throws IllegalArgumentException for a negative or non-finite concentration
   */
  public static AqiResult hourly(
      Map<Parameter, Double> oneHourMeans, OptionalDouble so2TwentyFourHourMean) {
    Map<Parameter, Integer> iaqi = new EnumMap<>(Parameter.class);
    oneHourMeans.forEach(
        (parameter, mean) -> {
          Breakpoints column =
              switch (parameter) {
                case SO2 -> SO2_1H;
                case NO2 -> NO2_1H;
                case CO -> CO_1H;
                case O3 -> O3_1H;
                case PM10 -> PM10_24H;
                case PM25 -> PM25_24H;
                default -> null;
              };
          if (column == null) {
            return;
          }
          double c = concentration(parameter, mean);
          if (parameter == Parameter.SO2 && c > SO2_1H.top().doubleValue()) {
            double substitute = so2TwentyFourHourMean.orElse(c);
            iaqi.put(parameter, SO2_24H.iaqi(concentration(parameter, substitute)));
          } else {
            iaqi.put(parameter, column.iaqi(c));
          }
        });
    return result(iaqi);
  }

  /** The hourly AQI without an SO2 24h mean at hand. */
  public static AqiResult hourly(Map<Parameter, Double> oneHourMeans) {
    return hourly(oneHourMeans, OptionalDouble.empty());
  }

  /**
   * The daily AQI from 24h means, the day's maximum O3 1h mean and maximum O3 8h moving mean. The
   * O3 IAQI is the larger of its 8h and 1h IAQI; an O3 8h mean above 800 µg/m³ is rated by the O3
   * 1h IAQI (table 1 note (b)). Absent values are null and left out.
   */
  public static AqiResult daily(DailyConcentrations day) {
    Map<Parameter, Integer> iaqi = new EnumMap<>(Parameter.class);
    putIfPresent(iaqi, Parameter.SO2, day.so2(), SO2_24H);
    putIfPresent(iaqi, Parameter.NO2, day.no2(), NO2_24H);
    putIfPresent(iaqi, Parameter.PM10, day.pm10(), PM10_24H);
    putIfPresent(iaqi, Parameter.CO, day.co(), CO_24H);
    putIfPresent(iaqi, Parameter.PM25, day.pm25(), PM25_24H);
    Integer o3OneHour =
        day.o3MaxOneHour() == null
            ? null
            : O3_1H.iaqi(concentration(Parameter.O3, day.o3MaxOneHour()));
    Integer o3EightHour = null;
    if (day.o3MaxEightHour() != null) {
      double c = concentration(Parameter.O3, day.o3MaxEightHour());
      o3EightHour = c > O3_8H.top().doubleValue() ? o3OneHour : O3_8H.iaqi(c);
    }
    if (o3OneHour != null || o3EightHour != null) {
      iaqi.put(
          Parameter.O3,
          Math.max(o3OneHour == null ? 0 : o3OneHour, o3EightHour == null ? 0 : o3EightHour));
    }
    return result(iaqi);
  }

  private static void putIfPresent(
      Map<Parameter, Integer> iaqi, Parameter parameter, Double mean, Breakpoints column) {
    if (mean != null) {
      iaqi.put(parameter, column.iaqi(concentration(parameter, mean)));
    }
  }

  private static double concentration(Parameter parameter, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          parameter.canonicalName() + " concentration " + value + " is not a finite value ≥ 0");
    }
    return value;
  }

  /** AQI = max IAQI (HJ 633-2012 §4.2); primary when AQI > 50; exceeding when IAQI > 100. */
  private static AqiResult result(Map<Parameter, Integer> iaqi) {
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
    return new AqiResult(aqi, AqiCategory.of(aqi), iaqi, primary, exceeding);
  }
}
