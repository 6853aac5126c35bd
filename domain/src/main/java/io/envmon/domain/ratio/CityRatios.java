package io.envmon.domain.ratio;

import java.time.Instant;

/**
 * Indicator L3P1-A1 of one city (or of the cluster, with {@code cityId} the cluster id) as of
 * {@code at}: b1 air, b2 important water sections, b3 noise, and score = 100 × (0.4·b1 + 0.4·b2 +
 * 0.2·b3), null with a reason when any b-value is null.
 */
public record CityRatios(
    String cityId,
    Instant at,
    Ratio air,
    Ratio water,
    Ratio noise,
    Double score,
    String scoreNullReason) {

  static CityRatios of(String cityId, Instant at, Ratio air, Ratio water, Ratio noise) {
    if (air.value() == null || water.value() == null || noise.value() == null) {
      StringBuilder reason = new StringBuilder("score undefined:");
      for (Ratio r : new Ratio[] {air, water, noise}) {
        if (r.value() == null) {
          reason.append(' ').append(r.nullReason()).append(';');
        }
      }
      reason.setLength(reason.length() - 1);
      return new CityRatios(cityId, at, air, water, noise, null, reason.toString());
    }
    double exact = 100 * (0.4 * air.value() + 0.4 * water.value() + 0.2 * noise.value());
    // 9 decimals, so that 1/2, 1, 1/2 scores 70.0 and not 70.00000000000001.
    double score = Math.round(exact * 1e9) / 1e9;
    return new CityRatios(cityId, at, air, water, noise, score, null);
  }
}
