package io.envmon.api.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A user of the API with its bcrypt password hash; the coordinator has no city. */
@MappedEntity("app_user")
public record UserRow(
    @Id String username, String passwordHash, String role, @Nullable String cityId) {}
