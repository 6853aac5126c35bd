package io.envmon.domain.reading;

import java.util.Objects;

/** One value of one parameter in a reading, with its HJ 212 data flag. */
public record Measurement(Parameter parameter, double value, DataFlag flag) {
  public Measurement {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(flag, "flag");
  }

  public static Measurement valid(Parameter parameter, double value) {
    return new Measurement(parameter, value, DataFlag.N);
  }

  /** True when the flag is N and the value is a finite number. */
  public boolean isValidData() {
    return flag.isValidData() && Double.isFinite(value);
  }
}
