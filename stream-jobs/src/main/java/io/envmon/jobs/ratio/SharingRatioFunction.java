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
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Indicator L3P1-A1 of every city and the cluster at each minute T of event time, from the
 * broadcast registry as it is when T's timer fires and each point's last valid reading at or before
 * T. Keyed by the cluster id (one key: the whole cluster is computed together).
 *
 * <p>A reading is "pending" until its minute is computed, so a reading a little after T never
 * counts at T; a late reading (its minute already computed) counts from the next minute on.
 */
public final class SharingRatioFunction
    extends KeyedBroadcastProcessFunction<String, AcceptedReading, PointUpdate, ClusterRatios> {

  static final long MINUTE_MILLIS = 60_000;
  private static final long MAX_CATCH_UP_MILLIS = 24 * 60 * MINUTE_MILLIS;

  private final RatioSettings settings;
  private transient SharingRatioCalculator calculator;
  private transient MapState<String, Long> lastValid;
  private transient MapState<Long, Map<String, Long>> pendingByMinute;
  private transient ValueState<Long> nextMinute;

  public SharingRatioFunction(RatioSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    calculator = new SharingRatioCalculator(settings.windows());
    lastValid =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("last-valid", Types.STRING, Types.LONG));
    pendingByMinute =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "pending", Types.LONG, Types.MAP(Types.STRING, Types.LONG)));
    nextMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.LONG));
  }

  @Override
  public void processElement(
      AcceptedReading accepted, ReadOnlyContext context, Collector<ClusterRatios> out)
      throws Exception {
    if (!accepted.reading().hasValidData()) {
      return;
    }
    String pointId = accepted.reading().pointId();
    long observed = accepted.reading().observedAt().toEpochMilli();
    long minute = ceilToMinute(observed);
    Long next = nextMinute.value();
    if (next == null) {
      nextMinute.update(minute);
      context.timerService().registerEventTimeTimer(minute);
    } else if (minute < next) {
      // Its minute is computed already (a late reading): counts from the next minute on.
      lastValid.put(pointId, Math.max(observed, orZero(lastValid.get(pointId))));
      return;
    }
    Map<String, Long> pending = pendingByMinute.get(minute);
    Map<String, Long> updated = pending == null ? new HashMap<>() : new HashMap<>(pending);
    updated.merge(pointId, observed, Math::max);
    pendingByMinute.put(minute, updated);
  }

  @Override
  public void onTimer(long minute, OnTimerContext context, Collector<ClusterRatios> out)
      throws Exception {
    Map<String, Long> pending = pendingByMinute.get(minute);
    if (pending != null) {
      for (Map.Entry<String, Long> e : pending.entrySet()) {
        lastValid.put(e.getKey(), Math.max(e.getValue(), orZero(lastValid.get(e.getKey()))));
      }
      pendingByMinute.remove(minute);
    }
    List<MonitoringPoint> points = new ArrayList<>();
    for (Map.Entry<String, MonitoringPoint> e :
        context.getBroadcastState(PointRegistry.POINTS).immutableEntries()) {
      points.add(e.getValue());
    }
    Map<String, Instant> last = new HashMap<>();
    for (Map.Entry<String, Long> e : lastValid.entries()) {
      last.put(e.getKey(), Instant.ofEpochMilli(e.getValue()));
    }
    out.collect(
        calculator.compute(
            settings.clusterId(), cityIds(points), points, last, Instant.ofEpochMilli(minute)));
    long watermark = context.timerService().currentWatermark();
    if (watermark == Long.MAX_VALUE) {
      // End of input: only the minutes that still hold readings remain to be computed.
      Long nextPending = null;
      for (Long pendingMinute : pendingByMinute.keys()) {
        if (nextPending == null || pendingMinute < nextPending) {
          nextPending = pendingMinute;
        }
      }
      if (nextPending != null) {
        nextMinute.update(nextPending);
        context.timerService().registerEventTimeTimer(nextPending);
      }
      return;
    }
    long next = minute + MINUTE_MILLIS;
    if (watermark - next > MAX_CATCH_UP_MILLIS) {
      // A jump of event time by more than a day: skip to the watermark instead of computing
      // every minute in between.
      next = watermark - Math.floorMod(watermark, MINUTE_MILLIS);
    }
    nextMinute.update(next);
    context.timerService().registerEventTimeTimer(next);
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
    PointRegistry.apply(update, context.getBroadcastState(PointRegistry.POINTS));
  }

  static long ceilToMinute(long millis) {
    long floor = millis - Math.floorMod(millis, MINUTE_MILLIS);
    return floor == millis ? millis : floor + MINUTE_MILLIS;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
