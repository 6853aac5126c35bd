package io.envmon.api.open;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** An API key to issue: who holds it, and how many requests a minute it may make. */
@Serdeable
public record ApiKeyRequest(
    @NotBlank @Size(max = 200) String name,
    @NotNull @Min(1) @Max(100_000) Integer requestsPerMinute) {}
