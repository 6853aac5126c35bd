package io.envmon.api.imports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** An import of history as stored (table {@code import_job}, migrations V9, V11). */
@MappedEntity("import_job")
public record ImportRow(
    @Id String id,
    String cityId,
    @Nullable String pointId,
    String format,
    String status,
    long fileBytes,
    long bytesRead,
    long rowsRead,
    long accepted,
    long refused,
    long valuesRefused,
    long hoursOnly,
    @Nullable Instant firstObserved,
    @Nullable Instant lastObserved,
    @Nullable String error,
    Instant createdAt,
    String createdBy,
    String replica,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt) {}
