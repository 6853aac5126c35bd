package io.envmon.api.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of table {@code point}; {@link PointMapping} turns it into the domain's point. */
@MappedEntity("point")
public record PointRow(
    @Id String id,
    String cityId,
    String kind,
    String name,
    @Nullable String nameEn,
    double lat,
    double lon,
    String status,
    String sharing,
    @TypeDef(type = DataType.STRING_ARRAY) String[] sharedWith,
    @Nullable String river,
    @Nullable Boolean important,
    @Nullable String targetClass,
    @Nullable String waterBody,
    @TypeDef(type = DataType.STRING_ARRAY) String[] downstream,
    @Nullable String noiseZone,
    Instant updatedAt,
    String updatedBy) {}
