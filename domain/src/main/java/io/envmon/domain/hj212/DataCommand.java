package io.envmon.domain.hj212;

import java.util.Arrays;
import java.util.Optional;

/**
 * The HJ 212-2017 upload commands that carry monitoring data, with the factor field that holds the
 * value (docs/standards.md §7).
 */
public enum DataCommand {
  /** CN 2011, real-time data: {@code code-Rtd} with {@code code-Flag}. */
  REAL_TIME("2011", FactorValues.RTD),
  /** CN 2051, minute data: {@code code-Avg}, {@code code-Min}, {@code code-Max}. */
  MINUTE("2051", FactorValues.AVG),
  /** CN 2061, hourly data. */
  HOURLY("2061", FactorValues.AVG),
  /** CN 2031, daily data. */
  DAILY("2031", FactorValues.AVG);

  private final String cn;
  private final String valueField;

  DataCommand(String cn, String valueField) {
    this.cn = cn;
    this.valueField = valueField;
  }

  /** The command code, e.g. {@code 2011}. */
  public String cn() {
    return cn;
  }

  /** The factor field holding the value: {@code Rtd} or {@code Avg}. */
  public String valueField() {
    return valueField;
  }

  public static Optional<DataCommand> byCn(String cn) {
    return Arrays.stream(values()).filter(c -> c.cn.equals(cn)).findFirst();
  }
}
