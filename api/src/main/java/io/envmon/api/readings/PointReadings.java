package io.envmon.api.readings;

import io.envmon.domain.point.PointKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One point's readings in time order, in an array (readings mostly arrive in order, so an add is an
 * append); guarded by itself.
 */
final class PointReadings {
  private RecentReading[] byTime = new RecentReading[16];
  private int size;

  /** True when the reading is a new time (not laid over a kept one). */
  synchronized boolean add(RecentReading reading) {
    int at = search(reading.timeMillis());
    if (at >= 0) {
      byTime[at] = byTime[at].overwrittenBy(reading);
      return false;
    }
    int insert = -at - 1;
    if (size == byTime.length) {
      byTime = Arrays.copyOf(byTime, size * 2);
    }
    System.arraycopy(byTime, insert, byTime, insert + 1, size - insert);
    byTime[insert] = reading;
    size++;
    return true;
  }

  /** Index of the reading at that time, or (-(insertion point) - 1); from the end. */
  private int search(long time) {
    if (size == 0 || byTime[size - 1].timeMillis() < time) {
      return -size - 1;
    }
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long midTime = byTime[mid].timeMillis();
      if (midTime < time) {
        low = mid + 1;
      } else if (midTime > time) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -low - 1;
  }

  synchronized List<RecentReading> newestFirst(PointKind kind, long from, long to) {
    int first = search(from);
    first = first >= 0 ? first : -first - 1;
    int last = search(to);
    last = last >= 0 ? last : -last - 2;
    List<RecentReading> readings = new ArrayList<>(Math.max(0, last - first + 1));
    for (int i = last; i >= first; i--) {
      if (byTime[i].kind() == kind) {
        readings.add(byTime[i]);
      }
    }
    return readings;
  }

  /** Drops the readings older than what is kept of their kind; how many. */
  synchronized int prune(ToLongFunction<PointKind> oldestKept) {
    int removed = 0;
    while (removed < size
        && byTime[removed].timeMillis() < oldestKept.applyAsLong(byTime[removed].kind())) {
      removed++; // in time order; every reading of one point is of one kind in practice
    }
    if (removed > 0) {
      System.arraycopy(byTime, removed, byTime, 0, size - removed);
      Arrays.fill(byTime, size - removed, size, null);
      size -= removed;
    }
    return removed;
  }

  synchronized boolean isEmpty() {
    return size == 0;
  }
}
