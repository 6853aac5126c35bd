package io.envmon.domain.noise;

import io.envmon.domain.point.NoiseZone;

/** An Leq against its zone's limit for the period it was measured in. */
public record NoiseAssessment(
    NoiseZone zone, NoisePeriod period, double leqDbA, int limitDbA, double exceedanceDbA) {

  public boolean compliant() {
    return exceedanceDbA == 0;
  }
}
