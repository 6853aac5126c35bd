package io.envmon.gateway;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.water.WaterClass;
import java.util.List;
import java.util.Set;

/** Monitoring points for the gateway's tests. */
public final class TestPoints {
  private TestPoints() {}

  public static MonitoringPoint air(String id, String cityId) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.AIR,
        "air " + id,
        null,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        null,
        null);
  }

  /** {@code point} with another status (PLANNED, ACTIVE, DECOMMISSIONED). */
  public static MonitoringPoint withStatus(MonitoringPoint point, PointStatus status) {
    return new MonitoringPoint(
        point.id(),
        point.cityId(),
        point.kind(),
        point.name(),
        point.nameEn(),
        point.lat(),
        point.lon(),
        status,
        point.sharing(),
        point.sharedWith(),
        point.water(),
        point.noiseZone());
  }

  public static MonitoringPoint water(String id, String cityId) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.WATER,
        "water " + id,
        null,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        new WaterAttributes("taipu", true, WaterClass.III, null, List.of()),
        null);
  }

  public static MonitoringPoint noise(String id, String cityId) {
    return new MonitoringPoint(
        id,
        cityId,
        PointKind.NOISE,
        "noise " + id,
        null,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        null,
        NoiseZone.Z2);
  }
}
