package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.jobs.ingest.PointRegistry;
import io.envmon.jobs.ingest.PointUpdate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes every alert through and adds the JOINT alerts it causes in other cities: a WATER_CLASS
 * alert at a section reaches each other city owning a section downstream of it (transitively, the
 * first such section of the city, with the path of sections); an AIR_QUALITY alert at 重度污染 or worse
 * reaches the cluster's other cities. A JOINT alert follows its origin's lifecycle: same state, and
 * an id stable per origin episode and receiving city.
 */
public final class JointAlertFanOut extends BroadcastProcessFunction<Alert, PointUpdate, Alert> {

  private final AlertSettings settings;

  public JointAlertFanOut(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void processElement(Alert alert, ReadOnlyContext context, Collector<Alert> out)
      throws Exception {
    out.collect(alert);
    switch (alert.type()) {
      case WATER_CLASS ->
          downstreamCities(alert, context.getBroadcastState(PointRegistry.POINTS))
              .forEach(
                  (city, path) -> out.collect(joint(alert, city, path.get(path.size() - 1), path)));
      case AIR_QUALITY -> {
        Double aqi = alert.values().get("aqi");
        if (aqi != null && aqi > 200 || alert.severity() == AlertSeverity.CRITICAL) {
          for (String city : settings.clusterCityIds()) {
            if (!city.equals(alert.cityId())) {
              out.collect(joint(alert, city, alert.pointId(), List.of(alert.pointId())));
            }
          }
        }
      }
      default -> {}
    }
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
        null,
        origin.startedAt(),
        origin.updatedAt(),
        origin.pointId(),
        origin.cityId(),
        path);
  }

  @Override
  public void processBroadcastElement(PointUpdate update, Context context, Collector<Alert> out)
      throws Exception {
    PointRegistry.apply(update, context.getBroadcastState(PointRegistry.POINTS));
  }
}
