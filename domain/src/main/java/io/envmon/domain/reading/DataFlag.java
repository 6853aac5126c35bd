package io.envmon.domain.reading;

import java.util.Optional;

/** HJ 212-2017 data flag of one value. Only {@link #N} values count as valid data. */
public enum DataFlag {
  /** Normal. */
  N,
  /** Stopped (停运). */
  F,
  /** Maintenance (维护). */
  M,
  /** Manually entered value (手工输入). */
  S,
  /** Fault (故障). */
  D,
  /** Calibration (校准). */
  C,
  /** Over range (超测上限). */
  T,
  /** Communication abnormal (通讯异常). */
  B;

  public boolean isValidData() {
    return this == N;
  }

  /** Parses a one-letter flag exactly as the standard writes it (upper case). */
  public static Optional<DataFlag> parse(String code) {
    if (code == null || code.length() != 1) {
      return Optional.empty();
    }
    for (DataFlag flag : values()) {
      if (flag.name().equals(code)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }
}
