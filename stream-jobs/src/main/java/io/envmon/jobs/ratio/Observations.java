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
 *
 * <p>An hour is kept in chunks of at most {@value #CHUNK_READINGS} readings, each a state entry of
 * its own ({@link #chunk}): a reading rewrites one chunk, so what a reading costs (the copy, and
 * with the changelog backend the log entry) does not grow with how often its station reports. A
 * chunk is followed by another only once it is full; chunk 0 has the key an hour had before chunks,
 * so state of that version reads as it is (an hour of more than 60 readings as a full chunk 0).
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

  /** The readings a chunk holds before the next one is started: a reading a minute fills one. */
  static final int CHUNK_READINGS = 60;

  /** The state key of chunk {@code n} of the point's hour starting at {@code hour}. */
  static String chunk(String pointId, long hour, int n) {
    return n == 0 ? pointId + "@" + hour : pointId + "@" + hour + "#" + n;
  }

  static long hourStart(long millis) {
    return millis - Math.floorMod(millis, HOUR_MILLIS);
  }

  static String pointOf(String bucket) {
    return bucket.substring(0, bucket.lastIndexOf('@'));
  }

  static long hourOf(String bucket) {
    int at = bucket.lastIndexOf('@');
    int hash = bucket.indexOf('#', at);
    return Long.parseLong(bucket, at + 1, hash < 0 ? bucket.length() : hash, 10);
  }

  /** Whether the next reading of the chunk's hour goes to a chunk after it. */
  static boolean isFull(long[] chunk) {
    return chunk.length >= 2 * CHUNK_READINGS;
  }

  /** Whether the chunk keeps a reading observed at {@code observedAtMillis}. */
  static boolean holds(long[] chunk, long observedAtMillis) {
    int low = 0;
    int high = chunk.length / 2 - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      long at = chunk[2 * middle];
      if (at < observedAtMillis) {
        low = middle + 1;
      } else if (at > observedAtMillis) {
        high = middle - 1;
      } else {
        return true;
      }
    }
    return false;
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
