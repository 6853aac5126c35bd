package io.envmon.jobs.ingest;

import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The registry of {@code envmon.points.v1} as broadcast state: point id → point, and city id → the
 * city's time zone and night window, as its points' records last carried them.
 */
public final class RegistryState {

  public static final MapStateDescriptor<String, MonitoringPoint> POINTS =
      new MapStateDescriptor<>("points", Types.STRING, TypeInformation.of(MonitoringPoint.class));

  public static final MapStateDescriptor<String, CityTime> CITIES =
      new MapStateDescriptor<>("city-times", Types.STRING, TypeInformation.of(CityTime.class));

  private RegistryState() {}

  /** The registry broadcast to the functions that judge readings by it. */
  public static BroadcastStream<PointUpdate> broadcast(DataStream<PointUpdate> points) {
    return points.broadcast(POINTS, CITIES);
  }

  /**
   * Applies one record of the compacted topic: put the point and its city's time facts, or remove
   * the point on a tombstone.
   */
  public static void apply(
      PointUpdate update,
      BroadcastState<String, MonitoringPoint> points,
      BroadcastState<String, CityTime> cities)
      throws Exception {
    if (update.isRemoval()) {
      points.remove(update.pointId());
    } else {
      points.put(update.pointId(), update.point());
      if (update.city() != null) {
        cities.put(update.point().cityId(), update.city());
      }
    }
  }

  /**
   * The city's time zone and night window; {@link CityTime#DEFAULT} until a record of one of its
   * points has carried them.
   */
  public static CityTime cityTime(ReadOnlyBroadcastState<String, CityTime> cities, String cityId)
      throws Exception {
    CityTime city = cities.get(cityId);
    return city == null ? CityTime.DEFAULT : city;
  }
}
