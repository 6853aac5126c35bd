package io.envmon.api.alerts;

import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * An alert episode as stored (table {@code alert}, V2, V4, V6): its latest change as JSON text
 * where the record has lists and maps, who acknowledged it, and the episode that superseded it.
 */
@MappedEntity("alert")
public record AlertRow(
    @Id String id,
    AlertType type,
    AlertState state,
    AlertSeverity severity,
    String pointId,
    String cityId,
    PointKind kind,
    String valuesJson,
    @Nullable Double threshold,
    String message,
    @Nullable String messageZh,
    Instant startedAt,
    Instant updatedAt,
    @Nullable String originCity,
    @Nullable String originPoint,
    @Nullable String path,
    @Nullable String acknowledgedBy,
    @Nullable Instant acknowledgedAt,
    @Nullable Instant detectedAt,
    boolean delayed,
    @Nullable String supersededBy) {}
