package io.envmon.api.registry;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A point as a bureau sends it to create or replace it: the fields of docs/standards.md §1
 * "Monitoring point". On PUT the id comes from the path and {@code id} may be left out.
 */
@Serdeable
public record PointRequest(
    @Nullable
        @Pattern(
            regexp = "[a-z0-9][a-z0-9-]{1,62}",
            message = "must be a slug of 2-63 characters [a-z0-9-]")
        String id,
    @NotBlank String cityId,
    @NotNull PointKind kind,
    @NotBlank @Size(max = 200) String name,
    @Nullable @Size(max = 200) String nameEn,
    @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
    @NotNull @DecimalMin("-180") @DecimalMax("180") Double lon,
    @Nullable PointStatus status,
    @NotNull SharingScope sharing,
    @Nullable @Size(max = 50) List<String> sharedWith,
    @Nullable String river,
    @Nullable Boolean important,
    @Nullable String targetClass,
    @Nullable WaterBody waterBody,
    @Nullable @Size(max = 50) List<String> downstream,
    @Nullable String zone) {}
