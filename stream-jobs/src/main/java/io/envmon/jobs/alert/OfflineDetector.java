package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.time.LocalTimes;
import io.envmon.jobs.ingest.PointUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * DEVICE_OFFLINE per point, on the platform's clock ({@link io.envmon.jobs.ingest.ArrivalClock}):
 * raised when no valid reading of the point has arrived for its kind's freshness window, cleared by
 * the next valid reading to arrive, a back-fill's too (its CLEARED event gives the silence and the
 * gap in the data). Station clocks play no part; imported readings (source IMPORT) neither keep a
 * point online nor clear its alert. An ACTIVE point that never sent is watched from when it
 * appeared in the registry (or from the first watermark); PLANNED and DECOMMISSIONED points are
 * not, and the alert of a point that leaves ACTIVE or the registry is cleared. A silent platform
 * raises each silent point's alert once. All of it, timers included, is keyed state: a restore, or
 * a registry record read again, changes nothing (docs/stream-jobs.md "Time").
 */
public final class OfflineDetector
    extends KeyedCoProcessFunction<String, AcceptedReading, PointUpdate, Alert> {

  /** A timer that fires at the first watermark: when a never-reporting point's window starts. */
  static final long AT_FIRST_WATERMARK = Long.MIN_VALUE + 1;

  private final AlertSettings settings;
  private transient ValueState<AcceptedReading> lastValid;
  private transient ValueState<Long> deadline;
  private transient ValueState<Alert> active;
  private transient ValueState<MonitoringPoint> registered;
  private transient ValueState<CityTime> cityTime;

  public OfflineDetector(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    lastValid =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "last-valid", TypeInformation.of(AcceptedReading.class)));
    deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
    active =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("offline-alert", TypeInformation.of(Alert.class)));
    registered =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "registered-point", TypeInformation.of(MonitoringPoint.class)));
    cityTime =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("city-time", TypeInformation.of(CityTime.class)));
  }

  /** The point's city's time zone, as its newest registry record carried it. */
  private ZoneId zone() throws Exception {
    CityTime city = cityTime.value();
    return (city == null ? CityTime.DEFAULT : city).zone();
  }

  @Override
  public void processElement1(AcceptedReading accepted, Context context, Collector<Alert> out)
      throws Exception {
    if (!accepted.reading().hasValidData() || accepted.reading().source() == Source.IMPORT) {
      return; // an uploaded file of history says nothing of whether the station is alive
    }
    long arrival =
        Math.max(accepted.receivedAt().toEpochMilli(), context.timerService().currentWatermark());
    AcceptedReading previous = lastValid.value();
    if (previous == null || accepted.credibleObservedAt().isAfter(previous.credibleObservedAt())) {
      lastValid.update(accepted);
    }
    watchFrom(arrival, accepted.kind(), context);
    Alert offline = active.value();
    if (offline != null) {
      active.clear();
      ZoneId zone = zone();
      Instant arrivedAt = Instant.ofEpochMilli(arrival);
      Instant observedAt = accepted.credibleObservedAt();
      Map<String, Double> gap = new LinkedHashMap<>();
      gap.put(
          "silentMinutes",
          (double) Duration.between(offline.startedAt(), arrivedAt).toMinutes()
              + settings.freshness(offline.kind()).toMinutes());
      if (previous != null) {
        gap.put(
            "dataGapMinutes",
            (double)
                Math.max(
                    0, Duration.between(previous.credibleObservedAt(), observedAt).toMinutes()));
      }
      out.collect(
          offline.next(
              AlertState.CLEARED,
              offline.severity(),
              gap,
              "valid data again: a reading observed at "
                  + LocalTimes.format(observedAt, zone)
                  + " reached the platform at "
                  + LocalTimes.format(arrivedAt, zone),
              "设备恢复：观测时间 "
                  + LocalTimes.format(observedAt, zone)
                  + " 的有效数据于 "
                  + LocalTimes.format(arrivedAt, zone)
                  + " 到达平台",
              arrivedAt.isBefore(offline.updatedAt()) ? offline.updatedAt() : arrivedAt));
    }
  }

  @Override
  public void processElement2(PointUpdate update, Context context, Collector<Alert> out)
      throws Exception {
    MonitoringPoint point = update.point();
    if (update.city() != null) {
      cityTime.update(update.city());
    }
    if (point == null || point.status() != PointStatus.ACTIVE) {
      stopWatching(context);
      if (point == null) {
        registered.clear();
        cityTime.clear();
      } else {
        registered.update(point);
      }
      clearActive(
          context,
          out,
          point == null
              ? "point removed from the registry"
              : "point is " + point.status() + " in the registry",
          point == null ? "监测点已从名录中删除" : "监测点状态为 " + point.status() + "，不再监测");
      return;
    }
    registered.update(point);
    if (deadline.value() != null || active.value() != null) {
      // Watched already (or offline already): a registry record read again changes nothing.
      return;
    }
    long watermark = context.timerService().currentWatermark();
    AcceptedReading last = lastValid.value();
    if (last != null) {
      long from = last.receivedAt().toEpochMilli();
      watchFrom(Math.max(from, watermark), point.kind(), context);
    } else if (watermark > Long.MIN_VALUE && watermark < Long.MAX_VALUE) {
      watchFrom(watermark, point.kind(), context);
    } else {
      context.timerService().registerEventTimeTimer(AT_FIRST_WATERMARK);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
      throws Exception {
    MonitoringPoint point = registered.value();
    if (timestamp == AT_FIRST_WATERMARK) {
      long watermark = context.timerService().currentWatermark();
      if (point != null
          && point.status() == PointStatus.ACTIVE
          && deadline.value() == null
          && active.value() == null
          && watermark < Long.MAX_VALUE) {
        watchFrom(watermark, point.kind(), context);
      }
      return;
    }
    Long due = deadline.value();
    AcceptedReading last = lastValid.value();
    if (due == null || due != timestamp || active.value() != null) {
      return;
    }
    if (point != null && point.status() != PointStatus.ACTIVE) {
      return;
    }
    if (last == null && point == null) {
      return;
    }
    String pointId = last != null ? last.reading().pointId() : point.id();
    String cityId = last != null ? last.cityId() : point.cityId();
    PointKind kind = last != null ? last.kind() : point.kind();
    Duration window = settings.freshness(kind);
    Instant at = Instant.ofEpochMilli(timestamp);
    Instant since = at.minus(window);
    ZoneId zone = zone();
    String message =
        last != null
            ? "no valid data has reached the platform for "
                + window.toMinutes()
                + " min (since "
                + LocalTimes.format(since, zone)
                + "; last valid reading observed at "
                + LocalTimes.format(last.credibleObservedAt(), zone)
                + ")"
            : "no valid data for "
                + window.toMinutes()
                + " min since it was registered (watched from "
                + LocalTimes.format(since, zone)
                + ")";
    String messageZh =
        last != null
            ? "设备离线：自 "
                + LocalTimes.format(since, zone)
                + " 起 "
                + window.toMinutes()
                + " 分钟无有效数据到达平台（最后一条有效数据的观测时间 "
                + LocalTimes.format(last.credibleObservedAt(), zone)
                + "）"
            : "设备离线：登记后（自 "
                + LocalTimes.format(since, zone)
                + " 起）"
                + window.toMinutes()
                + " 分钟从未上报有效数据";
    Alert offline =
        new Alert(
            Alert.idFor(AlertType.DEVICE_OFFLINE, pointId, cityId, at),
            AlertType.DEVICE_OFFLINE,
            AlertState.RAISED,
            AlertSeverity.WARNING,
            pointId,
            cityId,
            kind,
            Map.of(),
            (double) window.toMinutes(),
            message,
            messageZh,
            at,
            at,
            null,
            null,
            null);
    active.update(offline);
    out.collect(offline);
  }

  private void watchFrom(long from, PointKind kind, Context context) throws Exception {
    Long oldDeadline = deadline.value();
    if (oldDeadline != null) {
      context.timerService().deleteEventTimeTimer(oldDeadline);
    }
    long newDeadline = from + settings.freshness(kind).toMillis();
    deadline.update(newDeadline);
    context.timerService().registerEventTimeTimer(newDeadline);
  }

  private void stopWatching(Context context) throws Exception {
    Long oldDeadline = deadline.value();
    if (oldDeadline != null) {
      context.timerService().deleteEventTimeTimer(oldDeadline);
    }
    context.timerService().deleteEventTimeTimer(AT_FIRST_WATERMARK);
    deadline.clear();
  }

  private void clearActive(Context context, Collector<Alert> out, String why, String whyZh)
      throws Exception {
    Alert offline = active.value();
    if (offline == null) {
      return;
    }
    active.clear();
    long watermark = context.timerService().currentWatermark();
    Instant at =
        watermark > offline.updatedAt().toEpochMilli() && watermark < Long.MAX_VALUE
            ? Instant.ofEpochMilli(watermark)
            : offline.updatedAt();
    out.collect(offline.next(AlertState.CLEARED, offline.severity(), Map.of(), why, whyZh, at));
  }
}
