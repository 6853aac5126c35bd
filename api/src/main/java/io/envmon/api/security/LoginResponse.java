package io.envmon.api.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A bearer token and who it is for. */
@Serdeable
public record LoginResponse(
    @JsonProperty("access_token") String accessToken,
    @JsonProperty("token_type") String tokenType,
    @JsonProperty("expires_in") @Nullable Integer expiresIn,
    String username,
    String role,
    @Nullable String city) {}
