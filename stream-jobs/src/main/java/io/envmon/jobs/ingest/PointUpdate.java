package io.envmon.jobs.ingest;

import io.envmon.domain.point.MonitoringPoint;

/**
 * One record of the compacted {@code envmon.points.v1}: the point as registered now, or {@code
 * point == null} when it was removed (a tombstone).
 */
public record PointUpdate(String pointId, MonitoringPoint point) {
  public boolean isRemoval() {
    return point == null;
  }
}
