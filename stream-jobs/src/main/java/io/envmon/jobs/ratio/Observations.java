package io.envmon.jobs.ratio;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.review.PointReview;
import java.time.Instant;
import java.util.Arrays;

/**
 * The valid readings of one point in one hour of observation, so that a review mark can take a
 * reading back (or give it back) after it was counted: sorted pairs packed in a {@code long[]}
 * ({@code [observedAt0, flags0, observedAt1, flags1, …]}): the observation time (epoch millis, as
 * the reading carries it and the review marks judge it) and, in one long, how far that lies after
 * the credible observation time ({@code AcceptedReading.credibleObservedAt}, which dates the
 * coverage) in the high 32 bits and the parameters with a valid value as a bit set (by ordinal) in
 * the low 32. 16 bytes per reading: at one reading a minute, about 160 KB per point over a 7-day
 * lateness horizon.
 */
final class Observations {

  static final long[] NONE = new long[0];
  static final long HOUR_MILLIS = 3_600_000;
  private static final Parameter[] PARAMETERS = Parameter.values();

  static {
    if (PARAMETERS.length > 32) {
      throw new IllegalStateException("a reading's valid parameters no longer fit in 32 bits");
    }
  }

  private Observations() {}

  /** The state key of the hour of {@code observedAtMillis} of the point. */
  static String bucket(String pointId, long observedAtMillis) {
    return pointId + "@" + (observedAtMillis - Math.floorMod(observedAtMillis, HOUR_MILLIS));
  }

  static String pointOf(String bucket) {
    return bucket.substring(0, bucket.lastIndexOf('@'));
  }

  static long hourOf(String bucket) {
    return Long.parseLong(bucket.substring(bucket.lastIndexOf('@') + 1));
  }

  /** The parameters of the reading with a valid value (flag N, finite), as a bit set. */
  static long validParameters(Reading reading) {
    long bits = 0;
    for (Measurement measurement : reading.measurements()) {
      if (measurement.isValidData()) {
        bits |= 1L << measurement.parameter().ordinal();
      }
    }
    return bits;
  }

  static long flags(long observedAtMillis, long credibleMillis, long validParameters) {
    // At most the gateway's allowed skew (minutes); clamped so that it cannot spill into the sign.
    long aheadMillis = Math.min(observedAtMillis - credibleMillis, Integer.MAX_VALUE);
    return (aheadMillis << 32) | validParameters;
  }

  static long credible(long[] bucket, int i) {
    return bucket[i] - ahead(bucket[i + 1]);
  }

  /** How far a reading's observation time lies after its credible observation time. */
  static long ahead(long flags) {
    return flags >>> 32;
  }

  static long validParameters(long[] bucket, int i) {
    return bucket[i + 1] & 0xFFFF_FFFFL;
  }

  /** The point's kind, by the parameters it sent. */
  static PointKind kind(long validParameters) {
    return PARAMETERS[Long.numberOfTrailingZeros(validParameters)].kind();
  }

  /**
   * The bucket with one more reading; a reading delivered again (same observation time) adds its
   * valid parameters to the one kept.
   */
  static long[] add(long[] bucket, long observedAtMillis, long flags) {
    int at = bucket.length;
    while (at > 0 && bucket[at - 2] > observedAtMillis) {
      at -= 2;
    }
    if (at > 0 && bucket[at - 2] == observedAtMillis) {
      long[] same = bucket.clone();
      same[at - 1] |= flags & 0xFFFF_FFFFL;
      return same;
    }
    long[] more = Arrays.copyOf(bucket, bucket.length + 2);
    System.arraycopy(bucket, at, more, at + 2, bucket.length - at);
    more[at] = observedAtMillis;
    more[at + 1] = flags;
    return more;
  }

  /**
   * Whether the reading is valid data after its bureau's review: one of its valid values is not
   * invalidated (PointReview#invalidates, at its observation time).
   */
  static boolean counts(PointReview review, long observedAtMillis, long validParameters) {
    if (review.isEmpty()) {
      return validParameters != 0;
    }
    Instant at = Instant.ofEpochMilli(observedAtMillis);
    for (long bits = validParameters; bits != 0; bits &= bits - 1) {
      if (!review.invalidates(PARAMETERS[Long.numberOfTrailingZeros(bits)], at)) {
        return true;
      }
    }
    return false;
  }
}
