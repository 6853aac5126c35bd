package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.Map;

/**
 * The grade II concentration limits (二级浓度限值, residential, commercial, mixed and industrial areas)
 * of the averaging periods in the daily report: the 24h means of SO2, NO2, CO, PM10, PM2.5 and O3's
 * daily maximum 8h mean. GB 3095-2012 table 1 for days rated by HJ 633-2012; GB 3095-2026 (first,
 * transitional phase 2026-03-01 to 2030-12-31) for days rated by HJ 633-2026. See docs/standards.md
 * "Daily report": of the 2026 column only PM2.5 (60 µg/m³) is confirmed from a public source; the
 * others are envmon's reading, marked there.
 */
public enum AirQualityLimits {
  /** GB 3095-2012 table 1, grade II. */
  GB_3095_2012(
      "GB 3095-2012",
      Map.of(
          Parameter.SO2, 150.0,
          Parameter.NO2, 80.0,
          Parameter.CO, 4.0,
          Parameter.O3, 160.0,
          Parameter.PM10, 150.0,
          Parameter.PM25, 75.0)),
  /**
   * GB 3095-2026, grade II, transitional phase (2026-03-01 to 2030-12-31). PM2.5 24h 60 µg/m³ as
   * announced by the ministry (2026-02-24); the announcement applies the revised PM10, SO2 and NO2
   * limits only from 2031-01-01, so in this phase they, CO and O3 keep their 2012 values (PM10 150
   * µg/m³, not HJ 633-2026's IAQI-100 breakpoint 120: a limit and a breakpoint are different
   * things). Unconfirmed against the standard's own text except PM2.5.
   */
  GB_3095_2026(
      "GB 3095-2026",
      Map.of(
          Parameter.SO2, 150.0,
          Parameter.NO2, 80.0,
          Parameter.CO, 4.0,
          Parameter.O3, 160.0,
          Parameter.PM10, 150.0,
          Parameter.PM25, 60.0));

  private final String code;
  private final Map<Parameter, Double> limits;

  AirQualityLimits(String code, Map<Parameter, Double> limits) {
    this.code = code;
    this.limits = limits;
  }

  /** The limits that go with an AQI standard: GB 3095-2026 with HJ 633-2026, else 2012. */
  public static AirQualityLimits of(AqiStandard standard) {
    return standard == AqiStandard.HJ_633_2026 ? GB_3095_2026 : GB_3095_2012;
  }

  /** The standard's number as it is cited, e.g. {@code GB 3095-2026}. */
  public String code() {
    return code;
  }

  /**
   * The grade II limit of a pollutant's daily statistic (µg/m³, CO mg/m³): the 24h mean, for O3 the
   * daily maximum 8h mean.
   */
  public double limit(Parameter pollutant) {
    Double limit = limits.get(pollutant);
    if (limit == null) {
      throw new IllegalArgumentException(pollutant.canonicalName() + " has no daily limit");
    }
    return limit;
  }
}
