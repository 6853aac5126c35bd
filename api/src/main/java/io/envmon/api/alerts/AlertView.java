package io.envmon.api.alerts;

import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert in the API's answers: the fields of {@code envmon.alerts.v1} (docs/alerts.md) and its
 * acknowledgement. {@code cityId} is the city that receives it (for JOINT not the origin).
 */
@Serdeable
public record AlertView(
    String id,
    AlertType type,
    AlertState state,
    AlertSeverity severity,
    String pointId,
    String cityId,
    PointKind kind,
    Map<String, Double> values,
    @Nullable Double threshold,
    String message,
    @Nullable String messageZh,
    Instant startedAt,
    Instant updatedAt,
    @Nullable String originPointId,
    @Nullable String originCityId,
    @Nullable List<String> path,
    @Nullable String acknowledgedBy,
    @Nullable Instant acknowledgedAt) {

  public static AlertView of(StoredAlert stored) {
    var a = stored.alert();
    return new AlertView(
        a.alertId(),
        a.type(),
        a.state(),
        a.severity(),
        a.pointId(),
        a.cityId(),
        a.kind(),
        a.values(),
        a.threshold(),
        a.message(),
        a.messageZh(),
        a.startedAt(),
        a.updatedAt(),
        a.originPointId(),
        a.originCityId(),
        a.path(),
        stored.acknowledgedBy(),
        stored.acknowledgedAt());
  }
}
