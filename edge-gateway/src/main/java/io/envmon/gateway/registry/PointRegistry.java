package io.envmon.gateway.registry;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.validation.PointLookup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The monitoring points the gateway knows, as last seen on {@code envmon.points.v1}. */
public final class PointRegistry implements PointLookup {

  private final Map<String, MonitoringPoint> points = new ConcurrentHashMap<>();

  @Override
  public Optional<MonitoringPoint> find(String pointId) {
    return Optional.ofNullable(points.get(pointId));
  }

  public void put(MonitoringPoint point) {
    points.put(point.id(), point);
  }

  /** A tombstone on the compacted topic: the point no longer exists. */
  public void remove(String pointId) {
    points.remove(pointId);
  }

  public void replaceAll(List<MonitoringPoint> all) {
    points.clear();
    all.forEach(this::put);
  }

  public List<MonitoringPoint> all() {
    return List.copyOf(points.values());
  }

  public int size() {
    return points.size();
  }
}
