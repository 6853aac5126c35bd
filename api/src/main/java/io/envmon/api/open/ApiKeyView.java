package io.envmon.api.open;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * An API key in the API's answers, never with its secret: {@code key} (the whole key to send as
 * {@code X-API-Key}) only in the answer that issued it.
 */
@Serdeable
public record ApiKeyView(
    long id,
    String name,
    int requestsPerMinute,
    Instant createdAt,
    String createdBy,
    @Nullable Instant revokedAt,
    @Nullable String revokedBy,
    @Nullable String key) {

  static ApiKeyView of(ApiKeyRow row) {
    return new ApiKeyView(
        row.id(),
        row.name(),
        row.requestsPerMinute(),
        row.createdAt(),
        row.createdBy(),
        row.revokedAt(),
        row.revokedBy(),
        null);
  }

  static ApiKeyView issued(ApiKeyRow row, String key) {
    return new ApiKeyView(
        row.id(),
        row.name(),
        row.requestsPerMinute(),
        row.createdAt(),
        row.createdBy(),
        null,
        null,
        key);
  }
}
