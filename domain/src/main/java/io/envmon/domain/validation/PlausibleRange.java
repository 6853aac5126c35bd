package io.envmon.domain.validation;

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
  // Meteorological factors at air stations (docs/gateway.md "Validation"): air temperature
  // -60–60 °C, relative humidity 0–100 %, pressure 50–110 kPa (a station above 5,000 m to a
  // sea-level record high), wind speed 0–100 m/s, wind direction 0–360°.
  private static final PlausibleRange AIR_TEMPERATURE = new PlausibleRange(-60, 60);
  private static final PlausibleRange RELATIVE_HUMIDITY = new PlausibleRange(0, 100);
  private static final PlausibleRange PRESSURE = new PlausibleRange(50, 110);
  private static final PlausibleRange WIND_SPEED = new PlausibleRange(0, 100);
  private static final PlausibleRange WIND_DIRECTION = new PlausibleRange(0, 360);

  static PlausibleRange of(Parameter parameter) {
    return switch (parameter) {
      case PH -> PH;
      case TEMP -> WATER_TEMPERATURE;
      case LEQ, LMAX, L10, L50, L90 -> DECIBELS;
      case AIR_TEMP -> AIR_TEMPERATURE;
      case RH -> RELATIVE_HUMIDITY;
      case PRESSURE -> PRESSURE;
      case WIND_SPEED -> WIND_SPEED;
      case WIND_DIR -> WIND_DIRECTION;
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
