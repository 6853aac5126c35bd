package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A webhook of a city (table {@code webhook}, V3); the secret is only read to sign. */
@MappedEntity("webhook")
public record Webhook(
    @Id @GeneratedValue @Nullable Long id,
    String cityId,
    String url,
    String secret,
    Instant createdAt,
    String createdBy) {}
