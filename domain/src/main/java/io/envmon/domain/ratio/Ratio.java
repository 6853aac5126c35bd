package io.envmon.domain.ratio;

/**
 * One b-value of the indicator: shared points over planned points. {@code conditionalNumerator}
 * counts the points that would qualify but are shared with named cities only (CITIES scope); it is
 * reported beside the ratio and never counted in it. {@code value} is null exactly when the
 * denominator is 0, and {@code nullReason} then says why.
 */
public record Ratio(
    int numerator, int denominator, int conditionalNumerator, Double value, String nullReason) {

  static Ratio of(int numerator, int denominator, int conditionalNumerator, String emptyReason) {
    if (denominator == 0) {
      return new Ratio(numerator, 0, conditionalNumerator, null, emptyReason);
    }
    return new Ratio(
        numerator, denominator, conditionalNumerator, (double) numerator / denominator, null);
  }
}
