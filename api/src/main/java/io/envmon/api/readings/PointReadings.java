package io.envmon.api.readings;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.review.PointReview;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * One point's readings in time order, in an array (readings mostly arrive in order, so an add is an
 * append), and its last "latest" answer while nothing it depends on has changed; guarded by itself.
 */
final class PointReadings {
  private RecentReading[] byTime = new RecentReading[16];
  private int size;
  private Answer answer;

  /**
   * A "latest" answer and what it holds for: this registry record and city zone, no reading added
   * or pruned since, and "now" in [from, until).
   */
  private record Answer(
      MonitoringPoint point,
      ZoneId zone,
      NightWindow night,
      AqiStandardSchedule aqiStandards,
      PointReview review,
      long from,
      long until,
      LatestReading latest) {}

  /**
   * The point's "latest" at {@code now}: the cached answer while it still holds, else computed (and
   * cached) from the readings {@link LatestCalculator#from} now up to now, newest first. It holds
   * until {@link LatestCalculator#holdsUntil} or until a reading stamped in the future (a station's
   * clock ahead) comes within "now", whichever is first.
   */
  synchronized LatestReading latest(MonitoringPoint point, Instant now, ZoneId zone) {
    return latest(point, now, zone, AqiStandardSchedule.DEFAULT);
  }

  /** The same, with the hours rated by the AQI standard {@code aqiStandards} says. */
  synchronized LatestReading latest(
      MonitoringPoint point, Instant now, ZoneId zone, AqiStandardSchedule aqiStandards) {
    return latest(point, now, zone, NightWindow.DEFAULT, aqiStandards);
  }

  /** The same, with the city's noise night window. */
  synchronized LatestReading latest(
      MonitoringPoint point,
      Instant now,
      ZoneId zone,
      NightWindow night,
      AqiStandardSchedule aqiStandards) {
    return latest(point, now, zone, night, aqiStandards, PointReview.NONE);
  }

  /** The same, without the values the point's review invalidated. */
  synchronized LatestReading latest(
      MonitoringPoint point,
      Instant now,
      ZoneId zone,
      NightWindow night,
      AqiStandardSchedule aqiStandards,
      PointReview review) {
    long nowMillis = now.toEpochMilli();
    Answer cached = answer;
    if (cached != null
        && nowMillis >= cached.from()
        && nowMillis < cached.until()
        && cached.point().equals(point)
        && Objects.equals(cached.zone(), zone)
        && cached.night().equals(night)
        && cached.aqiStandards().equals(aqiStandards)
        && cached.review().equals(review)) {
      return cached.latest();
    }
    long from = LatestCalculator.from(point.kind(), now).toEpochMilli();
    List<RecentReading> readings =
        RecentReading.reviewed(newestFirst(point.kind(), from, nowMillis), review);
    LatestReading latest =
        LatestCalculator.latest(point, readings, now, () -> zone, night, aqiStandards);
    long until = LatestCalculator.holdsUntil(point.kind(), readings, latest, now);
    int future = search(nowMillis + 1);
    future = future >= 0 ? future : -future - 1;
    if (future < size) {
      until = Math.min(until, byTime[future].timeMillis());
    }
    answer = new Answer(point, zone, night, aqiStandards, review, nowMillis, until, latest);
    return latest;
  }

  /** True when the reading is a new time (not laid over a kept one). */
  synchronized boolean add(RecentReading reading) {
    int at = search(reading.timeMillis());
    answer = null;
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
      answer = null;
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
