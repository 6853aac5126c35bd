package io.envmon.api.open;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** An API key of the public API as stored (table {@code api_key}, migration V10). */
@MappedEntity("api_key")
public record ApiKeyRow(
    @Id @GeneratedValue @Nullable Long id,
    String name,
    byte[] secretSha256,
    int requestsPerMinute,
    Instant createdAt,
    String createdBy,
    @Nullable Instant revokedAt,
    @Nullable String revokedBy) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
