package io.envmon.jobs;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.water.WaterClass;
import io.envmon.jobs.ingest.PointUpdate;
import java.util.List;
import java.util.Set;

/** Registry records for tests. */
public final class Points {
  private Points() {}

  public static MonitoringPoint air(String cityId, String id) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.AIR,
        id,
        id,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        null,
        null);
  }

  public static MonitoringPoint section(String cityId, String id, String... downstream) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.WATER,
        id,
        id,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        new WaterAttributes("taipu", true, WaterClass.III, WaterBody.RIVER, List.of(downstream)),
        null);
  }

  public static MonitoringPoint noise(String cityId, String id, NoiseZone zone) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.NOISE,
        id,
        id,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        null,
        zone);
  }

  public static PointUpdate update(MonitoringPoint point) {
    return new PointUpdate(point.id(), point);
  }
}
