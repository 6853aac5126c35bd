package io.envmon.domain.hj212;

import java.util.Objects;

/**
 * Why one factor of an HJ 212 data packet was not used: {@code field} is the factor field at fault
 * ({@code Rtd}, {@code Avg}, {@code Flag}) or {@code code} for the factor code itself.
 */
public record FactorError(String factorCode, String field, String reason) {
  public FactorError {
    Objects.requireNonNull(factorCode, "factorCode");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return factorCode + "-" + field + ": " + reason;
  }
}
