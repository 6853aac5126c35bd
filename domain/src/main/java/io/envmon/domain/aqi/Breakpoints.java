package io.envmon.domain.aqi;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One column of HJ 633-2012 table 1 or HJ 633-2026 table 3: concentration limits at IAQI 0, 50,
 * 100, 150, 200, 300, 400, 500.
 */
final class Breakpoints {
  private static final int[] IAQI = {0, 50, 100, 150, 200, 300, 400, 500};

  private final BigDecimal[] limits;

  private Breakpoints(double... limits) {
    this.limits = new BigDecimal[limits.length];
    for (int i = 0; i < limits.length; i++) {
      this.limits[i] = BigDecimal.valueOf(limits[i]);
    }
  }

  static Breakpoints of(double... limits) {
    return new Breakpoints(limits);
  }

  /** The highest concentration this column defines. */
  BigDecimal top() {
    return limits[limits.length - 1];
  }

  /**
   * IAQI_P = (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) × (C_P − BP_Lo) + IAQI_Lo, rounded up (进位取整).
   * Computed in decimal so that a concentration exactly on a breakpoint gives exactly its IAQI.
   * envmon rule: a concentration above the column's top gives IAQI 500.
   */
  int iaqi(double concentration) {
    BigDecimal c = BigDecimal.valueOf(concentration);
    for (int i = 1; i < limits.length; i++) {
      if (c.compareTo(limits[i]) <= 0) {
        BigDecimal slope =
            BigDecimal.valueOf(IAQI[i] - IAQI[i - 1])
                .divide(limits[i].subtract(limits[i - 1]), MathContext.DECIMAL64);
        BigDecimal value =
            slope.multiply(c.subtract(limits[i - 1])).add(BigDecimal.valueOf(IAQI[i - 1]));
        // DECIMAL64 leaves a tail like 49.99999999999999 or 50.00000000000001 on exact
        // breakpoints; round to 10 places before rounding up.
        return value
            .setScale(10, RoundingMode.HALF_EVEN)
            .setScale(0, RoundingMode.CEILING)
            .intValueExact();
      }
    }
    return 500;
  }
}
