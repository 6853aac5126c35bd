package io.envmon.jobs.ratio;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.ratio.SharingRatioCalculator;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.review.PointReview;
import io.envmon.domain.review.ReviewMark;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Indicator L3P1-A1 of every city and the cluster "as of" each minute T: a point counts when it
 * delivered a valid reading observed in the freshness window before T, whenever that reading
 * arrived, and its point's review marks ({@link #MARKS}) leave one of its valid values valid. Keyed
 * by the cluster id (the whole cluster is computed together), with the broadcast registry and marks
 * as they are when a minute is computed.
 *
 * <p>Minute T is first published once the platform clock is {@code settle} past T. A late reading
 * that makes a point count in minutes already published publishes them again, corrected (same T),
 * back to the lateness horizon and never before the first minute this job (or the checkpoint it was
 * restored from) published; a mark does the same, at the next minute, for every published minute
 * whose coverage of its point it changes (docs/stream-jobs.md "Time", "Review marks").
 */
public final class SharingRatioFunction
    extends KeyedBroadcastProcessFunction<String, AcceptedReading, RatioBroadcast, ClusterRatios> {

  static final long MINUTE_MILLIS = 60_000;
  private static final long MAX_CATCH_UP_MILLIS = 24 * 60 * MINUTE_MILLIS;

  /** The review marks in force within the horizon, by mark id (broadcast state). */
  public static final MapStateDescriptor<Long, ReviewMark> MARKS =
      new MapStateDescriptor<>("review-marks", Types.LONG, TypeInformation.of(ReviewMark.class));

  private static final ValueStateDescriptor<Long> NEXT =
      new ValueStateDescriptor<>("next", Types.LONG);

  private final RatioSettings settings;
  private transient SharingRatioCalculator calculator;
  private transient MapState<String, long[]> coverage;
  private transient MapState<String, long[]> observations;
  private transient MapState<String, long[]> coverageWithoutObservations;
  private transient ValueState<Boolean> keepsObservations;
  private transient MapState<Long, Boolean> corrections;
  private transient ValueState<Long> nextMinute;
  private transient ValueState<Long> firstMinute;
  private transient ValueState<Long> newestObservedMinute;
  private transient ValueState<Long> mostAhead;

  /** Each point's review, from {@link #MARKS}; null when a mark came since it was built. */
  private transient Map<String, PointReview> reviews;

  /** The minute of the platform clock at which the marks were last pruned. */
  private transient long marksPrunedAt;

  public SharingRatioFunction(RatioSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    calculator = new SharingRatioCalculator(settings.windows());
    marksPrunedAt = Long.MIN_VALUE;
    coverage =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "coverage",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    observations =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "observations",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    coverageWithoutObservations =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "coverage-without-observations",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    keepsObservations =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("keeps-observations", Types.BOOLEAN));
    corrections =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("corrections", Types.LONG, Types.BOOLEAN));
    nextMinute = getRuntimeContext().getState(NEXT);
    firstMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("first", Types.LONG));
    newestObservedMinute =
        getRuntimeContext().getState(new ValueStateDescriptor<>("newest-observed", Types.LONG));
    mostAhead = getRuntimeContext().getState(new ValueStateDescriptor<>("most-ahead", Types.LONG));
  }

  @Override
  public void processElement(
      AcceptedReading accepted, ReadOnlyContext context, Collector<ClusterRatios> out)
      throws Exception {
    if (!accepted.reading().hasValidData()) {
      return;
    }
    long watermark = context.timerService().currentWatermark();
    long keepFrom =
        watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - settings.latenessHorizonMillis();
    long observed = accepted.credibleObservedAt().toEpochMilli();
    long coveredUntil = observed + settings.windows().of(accepted.kind()).toMillis();
    if (coveredUntil < keepFrom) {
      return; // beyond the lateness horizon: persisted, not counted
    }
    Long next = nextMinute.value();
    if (next == null) {
      next = ceilToMinute(accepted.receivedAt().toEpochMilli());
      nextMinute.update(next);
      firstMinute.update(next);
      context.timerService().registerEventTimeTimer(next + settings.settleMillis());
    }
    String pointId = accepted.reading().pointId();
    keepObservationsFromNow();
    long observedAt = accepted.reading().observedAt().toEpochMilli();
    long validParameters = Observations.validParameters(accepted.reading());
    long flags = Observations.flags(observedAt, observed, validParameters);
    Long ahead = mostAhead.value();
    // Unknown (null) while state of an earlier version holds readings; nothing kept: nothing ahead.
    if (ahead == null ? observations.isEmpty() : Observations.ahead(flags) > ahead) {
      mostAhead.update(Observations.ahead(flags));
    }
    keep(pointId, observedAt, flags);
    long observedMinute = ceilToMinute(observed);
    Long newest = newestObservedMinute.value();
    if (newest == null || observedMinute > newest) {
      newestObservedMinute.update(observedMinute);
    }
    if (!Observations.counts(
        reviewOf(context.getBroadcastState(MARKS), pointId), observedAt, validParameters)) {
      return; // invalidated by its bureau: kept, in case a later mark makes it valid again
    }
    long[] intervals = coverage.get(pointId);
    if (intervals == null) {
      intervals = Coverage.NONE;
    }
    boolean corrected = false;
    long lastPublished = Math.min(next - MINUTE_MILLIS, coveredUntil);
    Long first = firstMinute.value();
    if (first == null) { // state of an older version, which did not keep it
      first = next;
      firstMinute.update(first);
    }
    // Only minutes this job computed itself: its state knows every point's coverage there.
    long firstCorrected = Math.max(ceilToMinute(observed), first);
    if (keepFrom != Long.MIN_VALUE) {
      firstCorrected = Math.max(firstCorrected, ceilToMinute(keepFrom));
    }
    for (long minute = firstCorrected; minute <= lastPublished; minute += MINUTE_MILLIS) {
      if (!Coverage.covers(intervals, minute)) {
        corrections.put(minute, true);
        corrected = true;
      }
    }
    coverage.put(pointId, Coverage.add(intervals, observed, coveredUntil, keepFrom));
    if (corrected && watermark > Long.MIN_VALUE && watermark < Long.MAX_VALUE) {
      // Published again at the next watermark, with every other correction that came meanwhile.
      context.timerService().registerEventTimeTimer(watermark + 1);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<ClusterRatios> out)
      throws Exception {
    List<MonitoringPoint> points = new ArrayList<>();
    for (Map.Entry<String, MonitoringPoint> e :
        context.getBroadcastState(RegistryState.POINTS).immutableEntries()) {
      points.add(e.getValue());
    }
    Long next = nextMinute.value();
    List<Long> corrected = new ArrayList<>();
    for (Long minute : corrections.keys()) {
      if (minute < next) {
        corrected.add(minute);
      }
    }
    corrected.sort(null);
    for (Long minute : corrected) {
      out.collect(compute(points, minute));
      corrections.remove(minute);
    }
    if (next + settings.settleMillis() > timestamp) {
      return;
    }
    out.collect(compute(points, next));
    long watermark = context.timerService().currentWatermark();
    long following = next + MINUTE_MILLIS;
    if (watermark == Long.MAX_VALUE) {
      // End of input: the minutes up to the newest reading remain to be computed, no more.
      Long newest = newestObservedMinute.value();
      if (newest == null || following > newest) {
        return;
      }
    } else if (watermark - settings.settleMillis() - following > MAX_CATCH_UP_MILLIS) {
      // The platform clock jumped by more than a day (the jobs were stopped that long): resume at
      // the clock instead of computing every minute in between.
      long at = watermark - settings.settleMillis();
      following = at - Math.floorMod(at, MINUTE_MILLIS);
    }
    nextMinute.update(following);
    context.timerService().registerEventTimeTimer(following + settings.settleMillis());
    pruneCoverage(watermark);
  }

  private ClusterRatios compute(List<MonitoringPoint> points, long minute) throws Exception {
    Map<String, Instant> delivering = new HashMap<>();
    Instant at = Instant.ofEpochMilli(minute);
    for (Map.Entry<String, long[]> e : coverage.entries()) {
      if (Coverage.covers(e.getValue(), minute)) {
        // A valid reading lies in the window before T: T itself stands for it.
        delivering.put(e.getKey(), at);
      }
    }
    return calculator.compute(settings.clusterId(), cityIds(points), points, delivering, at);
  }

  /**
   * Adds the reading to the chunk of its hour that holds its observation time (delivered again), or
   * else to the first chunk not yet full ({@link Observations}).
   */
  private void keep(String pointId, long observedAt, long flags) throws Exception {
    long hour = Observations.hourStart(observedAt);
    int n = 0;
    String key = Observations.chunk(pointId, hour, n);
    long[] chunk = observations.get(key);
    while (chunk != null && Observations.isFull(chunk) && !Observations.holds(chunk, observedAt)) {
      key = Observations.chunk(pointId, hour, ++n);
      chunk = observations.get(key);
    }
    observations.put(
        key, Observations.add(chunk == null ? Observations.NONE : chunk, observedAt, flags));
  }

  /**
   * Once an hour of event time: drops the coverage of points silent past the horizon and the
   * observations that can no longer count in a minute still corrected.
   */
  private void pruneCoverage(long watermark) throws Exception {
    if (watermark == Long.MAX_VALUE || Math.floorMod(nextMinute.value(), 60 * MINUTE_MILLIS) != 0) {
      return;
    }
    long keepFrom = watermark - settings.latenessHorizonMillis();
    pruneIntervals(coverage, keepFrom);
    pruneIntervals(coverageWithoutObservations, keepFrom);
    List<String> old = new ArrayList<>();
    for (String bucket : observations.keys()) {
      if (Observations.hourOf(bucket) + Observations.HOUR_MILLIS + longestWindowMillis()
          < keepFrom) {
        old.add(bucket);
      }
    }
    for (String bucket : old) {
      observations.remove(bucket);
    }
    if (observations.isEmpty()) {
      mostAhead.clear(); // nothing kept: nothing ahead
    }
  }

  private static void pruneIntervals(MapState<String, long[]> byPoint, long keepFrom)
      throws Exception {
    List<String> silent = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byPoint.entries()) {
      long[] intervals = e.getValue();
      if (intervals.length == 0 || intervals[intervals.length - 1] < keepFrom) {
        silent.add(e.getKey());
      }
    }
    for (String pointId : silent) {
      byPoint.remove(pointId);
    }
  }

  private long longestWindowMillis() {
    return Math.max(
        settings.airFreshnessMillis(),
        Math.max(settings.waterFreshnessMillis(), settings.noiseFreshnessMillis()));
  }

  /**
   * State of an earlier version holds each point's coverage but not its readings' observation
   * times: that coverage is kept aside (a mark cannot take those readings back; it ages out with
   * the horizon) and every reading from now on is kept.
   */
  private void keepObservationsFromNow() throws Exception {
    if (keepsObservations.value() != null) {
      return;
    }
    if (nextMinute.value() != null) {
      for (Map.Entry<String, long[]> e : coverage.entries()) {
        coverageWithoutObservations.put(e.getKey(), e.getValue());
      }
    }
    keepsObservations.update(true);
  }

  private PointReview reviewOf(ReadOnlyBroadcastState<Long, ReviewMark> marks, String pointId)
      throws Exception {
    if (reviews == null) {
      Map<String, List<ReviewMark>> byPoint = new HashMap<>();
      for (Map.Entry<Long, ReviewMark> e : marks.immutableEntries()) {
        byPoint.computeIfAbsent(e.getValue().pointId(), p -> new ArrayList<>()).add(e.getValue());
      }
      Map<String, PointReview> built = new HashMap<>();
      byPoint.forEach((point, list) -> built.put(point, new PointReview(list)));
      reviews = built;
    }
    return reviews.getOrDefault(pointId, PointReview.NONE);
  }

  /**
   * A bureau's mark: its point's coverage is rebuilt from the kept observations under the point's
   * review now where the mark can change it, and every published minute in the mark's reach whose
   * coverage of the point changed is published again at the next minute (the broadcast side has no
   * timers of its own).
   *
   * <p>The mark judges the readings observed in {@code [from, to)}; their coverage lies within
   * {@code [from − the most any kept reading is ahead of its credible time, to + the longest
   * window]}. Only that part of the point's coverage is rebuilt, from the point's hours of
   * observation that can cover it (read one by one); the rest stays as it is, since no reading
   * covering it changed. State of an earlier version, which does not know how far its readings are
   * ahead, is rebuilt whole once (every hour of the cluster read), and learns it.
   */
  private void applyMark(ReviewMark mark, PointReview review, long watermark) throws Exception {
    keepObservationsFromNow();
    String pointId = mark.pointId();
    long keepFrom =
        watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - settings.latenessHorizonMillis();
    long[] before = coverage.get(pointId);
    if (before == null) {
      before = Coverage.NONE;
    }
    long window = longestWindowMillis();
    Long ahead = mostAhead.value();
    if (ahead == null && observations.isEmpty()) {
      ahead = 0L;
    }
    List<long[]> kept;
    long[] after;
    if (ahead == null) {
      kept = allObservationsOf(pointId);
      after = Coverage.NONE;
    } else {
      long changedFrom = mark.from().toEpochMilli() - ahead;
      long changedTo = mark.to().toEpochMilli() + window;
      kept =
          observationsOf(pointId, changedFrom - window, changedTo + ahead, keepFrom, window, ahead);
      if (kept == null) {
        kept = allObservationsOf(pointId);
        after = Coverage.NONE;
      } else {
        after = Coverage.without(before, changedFrom, changedTo);
      }
    }
    long[] asBefore = coverageWithoutObservations.get(pointId);
    if (asBefore != null) {
      for (int i = 0; i < asBefore.length; i += 2) {
        after = Coverage.add(after, asBefore[i], asBefore[i + 1], keepFrom);
      }
    }
    for (long[] hour : kept) {
      for (int i = 0; i < hour.length; i += 2) {
        long validParameters = Observations.validParameters(hour, i);
        if (Observations.counts(review, hour[i], validParameters)) {
          long credible = Observations.credible(hour, i);
          long itsWindow = settings.windows().of(Observations.kind(validParameters)).toMillis();
          after = Coverage.add(after, credible, credible + itsWindow, keepFrom);
        }
      }
    }
    if (after.length == 0) {
      coverage.remove(pointId);
    } else {
      coverage.put(pointId, after);
    }
    Long first = firstMinute.value();
    long from =
        Math.max(
            first == null ? nextMinute.value() : first, ceilToMinute(mark.from().toEpochMilli()));
    if (keepFrom != Long.MIN_VALUE) {
      from = Math.max(from, ceilToMinute(keepFrom));
    }
    long reach = mark.to().toEpochMilli() + window;
    long until = Math.min(nextMinute.value() - MINUTE_MILLIS, reach);
    for (long minute = from; minute <= until; minute += MINUTE_MILLIS) {
      if (Coverage.covers(before, minute) != Coverage.covers(after, minute)) {
        corrections.put(minute, true);
      }
    }
  }

  /**
   * The point's kept hours of observation from {@code observedFrom} to {@code observedTo} (and no
   * earlier than can still cover a minute of the horizon, nor later than the newest reading), the
   * chunks of each read by their keys; null when that is more hours than the horizon holds (before
   * the first watermark, a mark of long ago): then reading every entry is cheaper.
   */
  private List<long[]> observationsOf(
      String pointId, long observedFrom, long observedTo, long keepFrom, long window, long ahead)
      throws Exception {
    if (keepFrom != Long.MIN_VALUE) {
      observedFrom = Math.max(observedFrom, keepFrom - window);
    }
    Long newest = newestObservedMinute.value();
    if (newest != null) {
      observedTo = Math.min(observedTo, newest + ahead);
    }
    long firstHour = observedFrom - Math.floorMod(observedFrom, Observations.HOUR_MILLIS);
    long lastHour = observedTo - Math.floorMod(observedTo, Observations.HOUR_MILLIS);
    long horizonHours =
        (settings.latenessHorizonMillis() + window + ahead) / Observations.HOUR_MILLIS + 2;
    if ((lastHour - firstHour) / Observations.HOUR_MILLIS > horizonHours) {
      return null;
    }
    List<long[]> kept = new ArrayList<>();
    for (long hour = firstHour; hour <= lastHour; hour += Observations.HOUR_MILLIS) {
      long[] chunk = observations.get(Observations.chunk(pointId, hour, 0));
      for (int n = 1; chunk != null; n++) {
        kept.add(chunk);
        chunk =
            Observations.isFull(chunk)
                ? observations.get(Observations.chunk(pointId, hour, n))
                : null;
      }
    }
    return kept;
  }

  /**
   * Every kept hour of the point, by reading every entry of the cluster; learns how far the kept
   * readings are ahead of their credible time when that is not known (state of an earlier version).
   */
  private List<long[]> allObservationsOf(String pointId) throws Exception {
    List<long[]> kept = new ArrayList<>();
    long ahead = 0;
    for (Map.Entry<String, long[]> e : observations.entries()) {
      long[] hour = e.getValue();
      for (int i = 0; i < hour.length; i += 2) {
        ahead = Math.max(ahead, Observations.ahead(hour[i + 1]));
      }
      if (Observations.pointOf(e.getKey()).equals(pointId)) {
        kept.add(hour);
      }
    }
    Long known = mostAhead.value();
    mostAhead.update(known == null ? ahead : Math.max(known, ahead));
    return kept;
  }

  private List<String> cityIds(List<MonitoringPoint> points) {
    if (!settings.cityIds().isEmpty()) {
      return settings.cityIds();
    }
    TreeSet<String> cities = new TreeSet<>();
    points.forEach(p -> cities.add(p.cityId()));
    return List.copyOf(cities);
  }

  @Override
  public void processBroadcastElement(
      RatioBroadcast update, Context context, Collector<ClusterRatios> out) throws Exception {
    long watermark = context.currentWatermark();
    BroadcastState<Long, ReviewMark> marks = context.getBroadcastState(MARKS);
    pruneMarks(marks, watermark);
    if (update.point() != null) {
      RegistryState.apply(
          update.point(),
          context.getBroadcastState(RegistryState.POINTS),
          context.getBroadcastState(RegistryState.CITIES));
      return;
    }
    ReviewMark mark = update.mark();
    if (marks.contains(mark.id())) {
      return; // relayed again (the API's outbox is at-least-once)
    }
    marks.put(mark.id(), mark);
    reviews = null;
    PointReview review = reviewOf(marks, mark.pointId());
    // The one cluster key, once it has state (before the first reading there is nothing to redo).
    context.applyToKeyedState(NEXT, (cluster, next) -> applyMark(mark, review, watermark));
  }

  /**
   * Drops the marks that end before any reading still counted in a minute still corrected; at most
   * once per minute of the platform clock, whenever a broadcast element (registry record or mark)
   * comes (the keyed side may only read the broadcast state).
   */
  private void pruneMarks(BroadcastState<Long, ReviewMark> marks, long watermark) throws Exception {
    if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
      return;
    }
    long minute = watermark - Math.floorMod(watermark, MINUTE_MILLIS);
    if (minute == marksPrunedAt) {
      return;
    }
    marksPrunedAt = minute;
    long keepFrom = watermark - settings.latenessHorizonMillis() - longestWindowMillis();
    List<Long> old = new ArrayList<>();
    for (Map.Entry<Long, ReviewMark> e : marks.entries()) {
      if (e.getValue().to().toEpochMilli() < keepFrom) {
        old.add(e.getKey());
      }
    }
    for (Long id : old) {
      marks.remove(id);
    }
    if (!old.isEmpty()) {
      reviews = null;
    }
  }

  static long ceilToMinute(long millis) {
    long floor = millis - Math.floorMod(millis, MINUTE_MILLIS);
    return floor == millis ? millis : floor + MINUTE_MILLIS;
  }
}
