package io.envmon.domain.noise;

import io.envmon.domain.point.NoiseZone;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;

/**
 * Environmental noise limits of GB 3096-2008 (table 1 and the night Lmax rule of §5) applied in a
 * city's local time, with the city's night window ({@link NightWindow}, 22:00–06:00 by default).
 */
public final class NoiseAssessor {

  /** GB 3096-2008 §5: at night, frequent noise Lmax may exceed the limit by at most 10 dB. */
  public static final int NIGHT_FREQUENT_LMAX_MARGIN_DB = 10;

  /** GB 3096-2008 §5: at night, sudden noise Lmax may exceed the limit by at most 15 dB. */
  public static final int NIGHT_SUDDEN_LMAX_MARGIN_DB = 15;

  private NoiseAssessor() {}

  public static int limitDbA(NoiseZone zone, NoisePeriod period) {
    return period == NoisePeriod.DAY ? zone.dayLimitDbA() : zone.nightLimitDbA();
  }

  /**
   * Leq measured at {@code measuredAt} against the zone's limit for that local period; the
   * exceedance is {@code max(0, Leq − limit)} dB.
   *
   * @throws IllegalArgumentException for an Leq outside 0–200 dB or not finite
   */
  public static NoiseAssessment assess(
      NoiseZone zone, double leqDbA, Instant measuredAt, ZoneId cityZone) {
    return assess(zone, leqDbA, measuredAt, cityZone, NightWindow.DEFAULT);
  }

  /**
   * Leq measured at {@code measuredAt} against the zone's limit for that local period, with the
   * city's night window.
   *
   * @throws IllegalArgumentException for an Leq outside 0–200 dB or not finite
   */
  public static NoiseAssessment assess(
      NoiseZone zone, double leqDbA, Instant measuredAt, ZoneId cityZone, NightWindow night) {
    if (!Double.isFinite(leqDbA) || leqDbA < 0 || leqDbA > 200) {
      throw new IllegalArgumentException("Leq " + leqDbA + " dB(A) is outside 0–200");
    }
    NoisePeriod period = NoisePeriod.at(measuredAt, cityZone, night);
    int limit = limitDbA(zone, period);
    return new NoiseAssessment(zone, period, leqDbA, limit, Math.max(0, leqDbA - limit));
  }

  /**
   * The energy average of equivalent levels, {@code 10·lg(mean(10^(0.1·Li)))} dB(A): how an hour's
   * Leq follows from shorter Leqs of equal length, and the day's Ld or the night's Ln from the
   * period's hourly Leqs (GB 3096-2008 appendix C, 3.2).
   *
   * @throws IllegalArgumentException when there is no level
   */
  public static double energyMeanDbA(Collection<Double> levelsDbA) {
    if (levelsDbA.isEmpty()) {
      throw new IllegalArgumentException("no level to average");
    }
    double energy = 0;
    for (double level : levelsDbA) {
      energy += Math.pow(10, level / 10);
    }
    return 10 * Math.log10(energy / levelsDbA.size());
  }

  /**
   * Whether a night-time Lmax stays within the allowance above the zone's night limit: 10 dB for
   * frequent noise, 15 dB for sudden noise (GB 3096-2008 §5).
   */
  public static boolean nightLmaxWithinAllowance(NoiseZone zone, double lmaxDbA, boolean sudden) {
    int margin = sudden ? NIGHT_SUDDEN_LMAX_MARGIN_DB : NIGHT_FREQUENT_LMAX_MARGIN_DB;
    return lmaxDbA <= zone.nightLimitDbA() + margin;
  }
}
