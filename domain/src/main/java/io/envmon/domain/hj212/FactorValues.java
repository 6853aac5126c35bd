package io.envmon.domain.hj212;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields one pollutant factor has in a CP data area, keyed by their suffix: {@code
 * a34004-Rtd=35.2,a34004-Flag=N} is code {@code a34004} with fields {@code Rtd} and {@code Flag}
 * (HJ 212-2017; docs/standards.md §7). Values are kept as text, in packet order.
 */
public record FactorValues(String code, Map<String, String> fields) {

  /** The value field of real-time data (CN 2011). */
  public static final String RTD = "Rtd";

  /** The value field of minute, hourly and daily data (CN 2051, 2061, 2031). */
  public static final String AVG = "Avg";

  public static final String MIN = "Min";
  public static final String MAX = "Max";
  public static final String COU = "Cou";

  /** The data flag field: N, F, M, S, D, C, T or B. */
  public static final String FLAG = "Flag";

  public FactorValues {
    Objects.requireNonNull(code, "code");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public Optional<String> field(String suffix) {
    return Optional.ofNullable(fields.get(suffix));
  }
}
