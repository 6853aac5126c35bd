package io.envmon.jobs.ingest;

import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;

/**
 * One record of the compacted {@code envmon.points.v1}: the point as registered now with its city's
 * time zone and night window ({@code city}, null in records written before the API sent them), or
 * {@code point == null} when it was removed (a tombstone); with the Kafka partition and offset it
 * was read at ({@code -1} when it does not come from Kafka).
 */
public record PointUpdate(
    String pointId, MonitoringPoint point, CityTime city, int partition, long offset) {

  public PointUpdate(String pointId, MonitoringPoint point) {
    this(pointId, point, null, -1, -1);
  }

  public PointUpdate(String pointId, MonitoringPoint point, CityTime city) {
    this(pointId, point, city, -1, -1);
  }

  public boolean isRemoval() {
    return point == null;
  }
}
