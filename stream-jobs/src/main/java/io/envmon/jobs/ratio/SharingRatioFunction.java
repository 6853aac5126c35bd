package io.envmon.jobs.ratio;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.ratio.SharingRatioCalculator;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.jobs.ingest.PointRegistry;
import io.envmon.jobs.ingest.PointUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Indicator L3P1-A1 of every city and the cluster "as of" each minute T: a point counts when it
 * delivered a valid reading observed in the freshness window before T, whenever that reading
 * arrived (docs/stream-jobs.md "Time"). Keyed by the cluster id (one key: the whole cluster is
 * computed together), with the broadcast registry as it is when a minute is computed.
 *
 * <p>Minute T is first published once the platform clock is {@code settle} past T, so the newest
 * ratio trails the clock by about a minute whatever any station's clock or any city's backlog does.
 * A reading that arrives later (a gateway's back-fill) and makes a point count in minutes already
 * published publishes those minutes again, corrected (same T: the InfluxDB row is overwritten),
 * back to the lateness horizon and never before the first minute this job (or the checkpoint it was
 * restored from) published: only there does its state know every point's coverage. Each point's
 * coverage is kept as intervals ({@link Coverage}).
 */
public final class SharingRatioFunction
    extends KeyedBroadcastProcessFunction<String, AcceptedReading, PointUpdate, ClusterRatios> {

  static final long MINUTE_MILLIS = 60_000;
  private static final long MAX_CATCH_UP_MILLIS = 24 * 60 * MINUTE_MILLIS;

  private final RatioSettings settings;
  private transient SharingRatioCalculator calculator;
  private transient MapState<String, long[]> coverage;
  private transient MapState<Long, Boolean> corrections;
  private transient ValueState<Long> nextMinute;
  private transient ValueState<Long> firstMinute;
  private transient ValueState<Long> newestObservedMinute;

  public SharingRatioFunction(RatioSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    calculator = new SharingRatioCalculator(settings.windows());
    coverage =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "coverage",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    corrections =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("corrections", Types.LONG, Types.BOOLEAN));
    nextMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.LONG));
    firstMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("first", Types.LONG));
    newestObservedMinute =
        getRuntimeContext().getState(new ValueStateDescriptor<>("newest-observed", Types.LONG));
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
    long observedMinute = ceilToMinute(observed);
    Long newest = newestObservedMinute.value();
    if (newest == null || observedMinute > newest) {
      newestObservedMinute.update(observedMinute);
    }
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
        context.getBroadcastState(PointRegistry.POINTS).immutableEntries()) {
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

  /** Once an hour of event time: drops the coverage of points silent past the horizon. */
  private void pruneCoverage(long watermark) throws Exception {
    if (watermark == Long.MAX_VALUE || Math.floorMod(nextMinute.value(), 60 * MINUTE_MILLIS) != 0) {
      return;
    }
    long keepFrom = watermark - settings.latenessHorizonMillis();
    List<String> silent = new ArrayList<>();
    for (Map.Entry<String, long[]> e : coverage.entries()) {
      long[] intervals = e.getValue();
      if (intervals.length == 0 || intervals[intervals.length - 1] < keepFrom) {
        silent.add(e.getKey());
      }
    }
    for (String pointId : silent) {
      coverage.remove(pointId);
    }
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
      PointUpdate update, Context context, Collector<ClusterRatios> out) throws Exception {
    PointRegistry.apply(
        update,
        context.getBroadcastState(PointRegistry.POINTS),
        context.getBroadcastState(PointRegistry.CITIES));
  }

  static long ceilToMinute(long millis) {
    long floor = millis - Math.floorMod(millis, MINUTE_MILLIS);
    return floor == millis ? millis : floor + MINUTE_MILLIS;
  }
}
