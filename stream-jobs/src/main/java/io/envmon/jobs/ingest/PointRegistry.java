package io.envmon.jobs.ingest;

import io.envmon.domain.point.MonitoringPoint;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** The registry of {@code envmon.points.v1} as broadcast state: point id → point. */
public final class PointRegistry {

  public static final MapStateDescriptor<String, MonitoringPoint> POINTS =
      new MapStateDescriptor<>("points", Types.STRING, TypeInformation.of(MonitoringPoint.class));

  private PointRegistry() {}

  /** Applies one record of the compacted topic: put the point, or remove it on a tombstone. */
  public static void apply(PointUpdate update, BroadcastState<String, MonitoringPoint> points)
      throws Exception {
    if (update.isRemoval()) {
      points.remove(update.pointId());
    } else {
      points.put(update.pointId(), update.point());
    }
  }
}
