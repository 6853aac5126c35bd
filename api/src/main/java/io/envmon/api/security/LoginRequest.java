package io.envmon.api.security;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

@Serdeable
public record LoginRequest(
    @NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 200) String password) {}
