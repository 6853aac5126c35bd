package io.envmon.api.management;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A city to create ({@code id} and {@code clusterId} required) or replace (the path names it). */
@Serdeable
public record CityRequest(
    @Nullable
        @Pattern(
            regexp = "^[a-z0-9][a-z0-9-]{1,62}$",
            message = "must be 2-63 lower-case letters, digits or '-'")
        String id,
    @Nullable String clusterId,
    @NotBlank @Size(max = 200) String name,
    @Nullable @Size(max = 200) String nameEn,
    @NotBlank String timeZone,
    @Nullable @Size(max = 50) List<String> neighbours,
    @Nullable String nightStart,
    @Nullable String nightEnd) {}
