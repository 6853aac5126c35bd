package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * The versions of the AQI technical regulation envmon knows: HJ 633-2012 (table 1) and HJ 633-2026
 * (table 3, in force from 2026-03-01; which one applies at an instant is {@link
 * AqiStandardSchedule}'s to say). Each carries its breakpoint table and its rules.
 */
public enum AqiStandard {
  /** HJ 633-2012 (试行), table 1: no rounding of concentrations, its own notes (a) and (b). */
  HJ_633_2012(
      "HJ 633-2012",
      Breakpoints.of(0, 50, 150, 250, 350, 420, 500, 600),
      Breakpoints.of(0, 35, 75, 115, 150, 250, 350, 500)),
  /**
   * HJ 633-2026, table 3: PM10 and PM2.5 at IAQI 100 are 120 and 60 µg/m³; concentrations rounded
   * by GB/T 8170 before the IAQI (4.2.2, 4.2.3); SO2 1h above 800 counts IAQI 200, O3 8h above 800
   * counts 300 (notes b, c); AQI "NA" when a pollutant is missing and the AQI is at most 100
   * (5.3.1).
   */
  HJ_633_2026(
      "HJ 633-2026",
      Breakpoints.of(0, 50, 120, 250, 350, 420, 500, 600),
      Breakpoints.of(0, 35, 60, 115, 150, 250, 350, 500));

  /** The six pollutants of the hourly (real-time) report. */
  public static final Set<Parameter> HOURLY_POLLUTANTS =
      Set.of(
          Parameter.SO2, Parameter.NO2, Parameter.CO, Parameter.O3, Parameter.PM10, Parameter.PM25);

  // Columns both versions share, µg/m³ (CO mg/m³), at IAQI 0, 50, 100, 150, 200, 300, 400, 500.
  static final Breakpoints SO2_24H = Breakpoints.of(0, 50, 150, 475, 800, 1600, 2100, 2620);
  static final Breakpoints SO2_1H = Breakpoints.of(0, 150, 500, 650, 800);
  static final Breakpoints NO2_24H = Breakpoints.of(0, 40, 80, 180, 280, 565, 750, 940);
  static final Breakpoints NO2_1H = Breakpoints.of(0, 100, 200, 700, 1200, 2340, 3090, 3840);
  static final Breakpoints CO_24H = Breakpoints.of(0, 2, 4, 14, 24, 36, 48, 60);
  static final Breakpoints CO_1H = Breakpoints.of(0, 5, 10, 35, 60, 90, 120, 150);
  static final Breakpoints O3_1H = Breakpoints.of(0, 160, 200, 300, 400, 800, 1000, 1200);
  static final Breakpoints O3_8H = Breakpoints.of(0, 100, 160, 215, 265, 800);

  private final String code;
  private final Breakpoints pm10;
  private final Breakpoints pm25;

  AqiStandard(String code, Breakpoints pm10, Breakpoints pm25) {
    this.code = code;
    this.pm10 = pm10;
    this.pm25 = pm25;
  }

  /** The standard's number as it is cited, e.g. {@code HJ 633-2026}. */
  public String code() {
    return code;
  }

  /** The standard named by its {@link #code()} (or its constant name). */
  public static AqiStandard byCode(String code) {
    for (AqiStandard standard : values()) {
      if (standard.code.equals(code) || standard.name().equals(code)) {
        return standard;
      }
    }
    throw new IllegalArgumentException("unknown AQI standard " + code);
  }

  /** The 24h (and, for PM, hourly) column of PM10. */
  Breakpoints pm10() {
    return pm10;
  }

  /** The 24h (and, for PM, hourly) column of PM2.5. */
  Breakpoints pm25() {
    return pm25;
  }

  /**
   * The concentration the IAQI is computed from. HJ 633-2026 4.2.2, 4.2.3: rounded by GB/T 8170
   * (round half to even, 四舍六入五成双) — SO2, NO2, O3, PM10, PM2.5 to integers in µg/m³, CO to one
   * decimal in mg/m³, from the value's shortest decimal form (34.5 → 34, 2.25 → 2.2). HJ 633-2012
   * prescribes no rounding: the value as given.
   *
   * @throws IllegalArgumentException for a negative or non-finite concentration
   */
  public double concentration(Parameter parameter, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(
          parameter.canonicalName() + " concentration " + value + " is not a finite value ≥ 0");
    }
    if (this == HJ_633_2012) {
      return value;
    }
    int scale = parameter == Parameter.CO ? 1 : 0;
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_EVEN).doubleValue();
  }

  /**
   * Whether an AQI is published (HJ 633-2026 5.3.1): with a pollutant missing or invalid, only an
   * AQI above 100 is; otherwise the AQI is "NA" and only the single pollutants' IAQIs are given.
   * envmon rule: HJ 633-2012 has no such clause, so its AQI is always published.
   */
  boolean publishes(int aqi, boolean complete) {
    return this == HJ_633_2012 || complete || aqi > 100;
  }
}
