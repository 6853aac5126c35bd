package io.envmon.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.envmon.api.security.Viewer;
import io.envmon.domain.point.MonitoringPoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A point as the API answers it: the contract JSON of MonitoringPointJson. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointView(
    String id,
    String cityId,
    String kind,
    String name,
    @Nullable String nameEn,
    double lat,
    double lon,
    String status,
    String sharing,
    List<String> sharedWith,
    @Nullable String river,
    @Nullable Boolean important,
    @Nullable String targetClass,
    @Nullable String waterBody,
    @Nullable List<String> downstream,
    @Nullable String zone,
    @Schema(
            description =
                "GET /points and /points/{id}: whether the signed-in user may read the point's raw"
                    + " values and its review marks (its city's users, the coordinator)")
        @Nullable
        Boolean rawVisible,
    @Schema(
            description =
                "GET /points and /points/{id}: whether the signed-in user may mark its data"
                    + " (POST /points/{id}/reviews: its city's bureau users, the coordinator)")
        @Nullable
        Boolean markable) {

  /** This point with what the signed-in {@code viewer} may do with its data. */
  public PointView accessOf(Viewer viewer) {
    return new PointView(
        id,
        cityId,
        kind,
        name,
        nameEn,
        lat,
        lon,
        status,
        sharing,
        sharedWith,
        river,
        important,
        targetClass,
        waterBody,
        downstream,
        zone,
        viewer.ownsDataOf(cityId),
        viewer.mayManagePointsOf(cityId));
  }

  public static PointView of(MonitoringPoint point) {
    var water = point.water();
    return new PointView(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.nameEn(),
        point.lat(),
        point.lon(),
        point.status().name(),
        point.sharing().name(),
        point.sharedWith().stream().sorted().toList(),
        water == null ? null : water.river(),
        water == null ? null : water.important(),
        water == null ? null : water.targetClass().label(),
        water == null ? null : water.waterBody().name(),
        water == null ? null : water.downstream(),
        point.noiseZone() == null ? null : point.noiseZone().code(),
        null,
        null);
  }
}
