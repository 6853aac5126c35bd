package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.aqi.AqiCategory;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.time.LocalTimes;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes every alert through and adds the JOINT alerts it causes in other cities: a WATER_CLASS
 * alert at a section reaches each other city owning a section downstream of it (transitively, the
 * first such section of the city, with the path of sections); an AIR_QUALITY alert at 重度污染 or worse
 * reaches the cluster's other cities. Keyed by the origin's alert id: the receivers of an episode
 * are kept in state, so its ESCALATED and CLEARED reach exactly the cities its JOINT alerts went
 * to, under the same JOINT ids, whatever the registry or the values do meanwhile.
 */
public final class JointAlertFanOut
    extends KeyedBroadcastProcessFunction<String, Alert, PointUpdate, Alert> {

  private final AlertSettings settings;
  private transient MapState<String, List<String>> receivers;

  public JointAlertFanOut(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    receivers =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "joint-receivers", Types.STRING, Types.LIST(Types.STRING)));
  }

  @Override
  public void processElement(Alert produced, ReadOnlyContext context, Collector<Alert> out)
      throws Exception {
    Alert alert =
        detected(
            produced,
            context.timerService().currentWatermark(),
            context.getBroadcastState(RegistryState.CITIES));
    out.collect(alert);
    if (alert.state() != AlertState.CLEARED) {
      Map<String, List<String>> targets =
          switch (alert.type()) {
            case WATER_CLASS ->
                downstreamCities(alert, context.getBroadcastState(RegistryState.POINTS));
            case AIR_QUALITY -> isHeavyOrWorse(alert) ? clusterCities(alert) : Map.of();
            default -> Map.of();
          };
      for (Map.Entry<String, List<String>> target : targets.entrySet()) {
        if (!receivers.contains(target.getKey())) {
          receivers.put(target.getKey(), target.getValue());
        }
      }
    }
    for (Map.Entry<String, List<String>> receiver : receivers.entries()) {
      List<String> path = receiver.getValue();
      out.collect(joint(alert, receiver.getKey(), path.get(path.size() - 1), path));
    }
    if (alert.state() == AlertState.CLEARED) {
      receivers.clear();
    }
  }

  /**
   * The event stamped with the platform clock (this operator's watermark, never before the event's
   * own time) and, when that is more than {@code delayedAfter} after the observation the event
   * rests on, marked delayed with both times in its texts.
   */
  private Alert detected(
      Alert alert, long watermark, ReadOnlyBroadcastState<String, CityTime> cities)
      throws Exception {
    Instant detectedAt =
        watermark > alert.updatedAt().toEpochMilli() && watermark < Long.MAX_VALUE
            ? Instant.ofEpochMilli(watermark)
            : alert.updatedAt();
    boolean delayed =
        detectedAt.toEpochMilli() - alert.updatedAt().toEpochMilli()
            > settings.delayedAfterMillis();
    if (!delayed) {
      return alert.detected(detectedAt, false, alert.message(), alert.messageZh());
    }
    ZoneId zone = RegistryState.cityTime(cities, alert.cityId()).zone();
    String observed = LocalTimes.format(alert.updatedAt(), zone);
    String detected = LocalTimes.format(detectedAt, zone);
    return alert.detected(
        detectedAt,
        true,
        alert.message() + " [delayed data: observed " + observed + ", detected " + detected + "]",
        (alert.messageZh() == null ? alert.message() : alert.messageZh())
            + "（迟到数据：观测时间 "
            + observed
            + "，平台收到时间 "
            + detected
            + "）");
  }

  private static boolean isHeavyOrWorse(Alert alert) {
    Double aqi = alert.values().get("aqi");
    return aqi != null && AqiCategory.of((int) Math.round(aqi)).isHeavyOrWorse();
  }

  private Map<String, List<String>> clusterCities(Alert alert) {
    Map<String, List<String>> cities = new LinkedHashMap<>();
    for (String city : settings.clusterCityIds()) {
      if (!city.equals(alert.cityId())) {
        cities.put(city, List.of(alert.pointId()));
      }
    }
    return cities;
  }

  /** Breadth-first along {@code downstream}: each other city's nearest section and its path. */
  static Map<String, List<String>> downstreamCities(
      Alert alert, ReadOnlyBroadcastState<String, MonitoringPoint> points) throws Exception {
    Map<String, List<String>> byCity = new LinkedHashMap<>();
    Deque<List<String>> paths = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    paths.add(List.of(alert.pointId()));
    seen.add(alert.pointId());
    while (!paths.isEmpty()) {
      List<String> path = paths.poll();
      MonitoringPoint section = points.get(path.get(path.size() - 1));
      if (section == null || section.water() == null) {
        continue;
      }
      for (String next : section.water().downstream()) {
        if (!seen.add(next)) {
          continue;
        }
        List<String> extended = new ArrayList<>(path);
        extended.add(next);
        MonitoringPoint downstream = points.get(next);
        if (downstream != null
            && !downstream.cityId().equals(alert.cityId())
            && !byCity.containsKey(downstream.cityId())) {
          byCity.put(downstream.cityId(), extended);
        }
        paths.add(extended);
      }
    }
    return byCity;
  }

  private static String jointZh(Alert origin, List<String> path) {
    String what =
        switch (origin.type()) {
          case WATER_CLASS -> "上游断面水质超标";
          case AIR_QUALITY -> "区域重污染";
          default -> origin.type().name();
        };
    return "联防联控（"
        + what
        + "）：来自 "
        + origin.cityId()
        + " 的监测点 "
        + origin.pointId()
        + "，传递路径 "
        + String.join(" → ", path)
        + "；"
        + (origin.messageZh() == null ? origin.message() : origin.messageZh());
  }

  private static Alert joint(Alert origin, String city, String pointId, List<String> path) {
    return new Alert(
        Alert.idFor(AlertType.JOINT, origin.pointId(), city, origin.startedAt()),
        AlertType.JOINT,
        origin.state(),
        origin.severity(),
        pointId,
        city,
        origin.kind(),
        origin.values(),
        origin.threshold(),
        origin.type()
            + " in "
            + origin.cityId()
            + " at "
            + origin.pointId()
            + ": "
            + origin.message(),
        jointZh(origin, path),
        origin.startedAt(),
        origin.updatedAt(),
        origin.pointId(),
        origin.cityId(),
        path,
        origin.detectedAt(),
        origin.delayed());
  }

  @Override
  public void processBroadcastElement(PointUpdate update, Context context, Collector<Alert> out)
      throws Exception {
    RegistryState.apply(
        update,
        context.getBroadcastState(RegistryState.POINTS),
        context.getBroadcastState(RegistryState.CITIES));
  }
}
