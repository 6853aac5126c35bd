package io.envmon.jobs.ratio;

import java.util.Arrays;

/**
 * The minutes in which one point counts as delivering: the union of {@code [observedAt, observedAt
 * + freshness window]} over its valid readings, as sorted, disjoint, closed intervals packed in a
 * {@code long[]} ({@code [start0, end0, start1, end1, …]}, epoch millis). A point that reports
 * steadily is one interval, however many readings it sent.
 */
final class Coverage {

  static final long[] NONE = new long[0];

  private Coverage() {}

  /** Whether {@code at} lies in one of the intervals. */
  static boolean covers(long[] intervals, long at) {
    for (int i = 0; i < intervals.length; i += 2) {
      if (at < intervals[i]) {
        return false;
      }
      if (at <= intervals[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The intervals with {@code [start, end]} merged in; those ending before {@code keepFrom} are
   * dropped.
   */
  static long[] add(long[] intervals, long start, long end, long keepFrom) {
    long[] merged = new long[intervals.length + 2];
    int size = 0;
    int next = 0;
    boolean added = false;
    while (next < intervals.length || !added) {
      long s;
      long e;
      if (!added && (next == intervals.length || start < intervals[next])) {
        s = start;
        e = end;
        added = true;
      } else {
        s = intervals[next];
        e = intervals[next + 1];
        next += 2;
      }
      if (e < keepFrom) {
        continue;
      }
      if (size > 0 && s <= merged[size - 1]) {
        merged[size - 1] = Math.max(merged[size - 1], e);
      } else {
        merged[size++] = s;
        merged[size++] = e;
      }
    }
    return size == merged.length ? merged : Arrays.copyOf(merged, size);
  }

  /** The intervals less {@code [from, to]}. */
  static long[] without(long[] intervals, long from, long to) {
    long[] left = new long[intervals.length + 2];
    int size = 0;
    for (int i = 0; i < intervals.length; i += 2) {
      long s = intervals[i];
      long e = intervals[i + 1];
      if (s < from) {
        left[size++] = s;
        left[size++] = Math.min(e, from - 1);
      }
      if (e > to) {
        left[size++] = Math.max(s, to + 1);
        left[size++] = e;
      }
    }
    return Arrays.copyOf(left, size);
  }
}
