package io.envmon.api.registry;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.water.WaterClass;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Between table {@code point} and the domain's {@link MonitoringPoint}. */
final class PointMapping {

  private PointMapping() {}

  static MonitoringPoint toDomain(PointRow row) {
    PointKind kind = PointKind.valueOf(row.kind());
    WaterAttributes water =
        kind == PointKind.WATER
            ? new WaterAttributes(
                row.river(),
                Boolean.TRUE.equals(row.important()),
                WaterClass.parse(row.targetClass()).orElseThrow(),
                row.waterBody() == null ? null : WaterBody.valueOf(row.waterBody()),
                List.of(row.downstream()))
            : null;
    return new MonitoringPoint(
        row.id(),
        row.cityId(),
        kind,
        row.name(),
        row.nameEn(),
        row.lat(),
        row.lon(),
        PointStatus.valueOf(row.status()),
        SharingScope.valueOf(row.sharing()),
        Set.copyOf(Arrays.asList(row.sharedWith())),
        water,
        kind == PointKind.NOISE ? NoiseZone.parse(row.noiseZone()).orElseThrow() : null);
  }

  static PointRow toRow(MonitoringPoint point, Instant updatedAt, String updatedBy) {
    WaterAttributes water = point.water();
    return new PointRow(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.nameEn(),
        point.lat(),
        point.lon(),
        point.status().name(),
        point.sharing().name(),
        point.sharedWith().stream().sorted().toArray(String[]::new),
        water == null ? null : water.river(),
        water == null ? null : water.important(),
        water == null ? null : water.targetClass().label(),
        water == null ? null : water.waterBody().name(),
        water == null ? new String[0] : water.downstream().toArray(String[]::new),
        point.noiseZone() == null ? null : point.noiseZone().code(),
        updatedAt,
        updatedBy);
  }
}
