package io.envmon.sim.station;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Smooth, seeded, stateless noise in time: values at nearby instants are close, and the value at an
 * instant depends only on the seed and the instant — a run can start anywhere and be replayed.
 * Linear interpolation between random knots {@code period} apart.
 */
final class Noise {
  private final long seed;
  private final long periodSeconds;

  Noise(long seed, Duration period) {
    this.seed = seed;
    this.periodSeconds = Math.max(1, period.toSeconds());
  }

  /** A value in [-1, 1] at {@code at}. */
  double at(Instant at) {
    long seconds = at.getEpochSecond();
    long knot = Math.floorDiv(seconds, periodSeconds);
    double fraction = (double) Math.floorMod(seconds, periodSeconds) / periodSeconds;
    double from = knot(knot);
    double to = knot(knot + 1);
    return from + (to - from) * fraction;
  }

  private double knot(long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextDouble(-1, 1);
  }

  static long seedFor(long runSeed, String pointId, String channel) {
    return runSeed * 31 + pointId.hashCode() * 131L + channel.hashCode();
  }
}
