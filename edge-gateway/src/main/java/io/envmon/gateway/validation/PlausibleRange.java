package io.envmon.gateway.validation;

import io.envmon.domain.reading.Parameter;

/** The values a parameter can physically take; anything outside is an impossible value. */
record PlausibleRange(double min, double max) {

  // envmon rules (docs/gateway.md "Validation"): concentrations and turbidity are never
  // negative; pH is 0–14; sound levels are 0–200 dB(A); water temperature -5–60 °C.
  private static final PlausibleRange NON_NEGATIVE =
      new PlausibleRange(0, Double.POSITIVE_INFINITY);
  private static final PlausibleRange PH = new PlausibleRange(0, 14);
  private static final PlausibleRange DECIBELS = new PlausibleRange(0, 200);
  private static final PlausibleRange WATER_TEMPERATURE = new PlausibleRange(-5, 60);

  static PlausibleRange of(Parameter parameter) {
    return switch (parameter) {
      case PH -> PH;
      case TEMP -> WATER_TEMPERATURE;
      case LEQ, LMAX, L10, L50, L90 -> DECIBELS;
      default -> NON_NEGATIVE;
    };
  }

  boolean contains(double value) {
    return value >= min && value <= max;
  }

  @Override
  public String toString() {
    return max == Double.POSITIVE_INFINITY ? "0 or more" : min + " to " + max;
  }
}
