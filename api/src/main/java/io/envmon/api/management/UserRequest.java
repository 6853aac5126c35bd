package io.envmon.api.management;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A user to create ({@code username} required) or replace (the path names it; {@code password} may
 * then be omitted to keep the old one). {@code role}: coordinator, bureau, emergency, viewer;
 * {@code city}: none for the coordinator, one for the others.
 */
@Serdeable
public record UserRequest(
    @Nullable
        @Pattern(
            regexp = "^[a-z0-9][a-z0-9._-]{1,62}$",
            message = "must be 2-63 lower-case letters, digits, '.', '_' or '-'")
        String username,
    @Nullable @Size(min = 12, max = 72, message = "must be 12 to 72 characters") String password,
    @NotBlank String role,
    @Nullable String city) {}
