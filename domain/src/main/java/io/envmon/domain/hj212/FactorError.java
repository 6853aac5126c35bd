package io.envmon.domain.hj212;

import java.util.Objects;

/**
 * Why one factor of an HJ 212 data packet was not used: {@code field} is the factor field at fault
 * ({@code Rtd}, {@code Avg}, {@code Flag}) or {@code code} for the factor code itself.
 */
public record FactorError(String factorCode, String field, String reason) {

  /** The {@code field} of an error about the factor code itself: envmon does not know it. */
  public static final String CODE = "code";

  public FactorError {
    Objects.requireNonNull(factorCode, "factorCode");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }

  /** The factor code is not one envmon reads (the packet itself is fine). */
  public boolean isUnknownCode() {
    return field.equals(CODE);
  }

  @Override
  public String toString() {
    return factorCode + "-" + field + ": " + reason;
  }
}
