package io.envmon.api.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A Kafka message waiting to be published; a null payload is a tombstone. */
@MappedEntity("outbox")
public record OutboxRow(
    @Id @GeneratedValue @Nullable Long id,
    String topic,
    String messageKey,
    @Nullable byte[] payload,
    Instant createdAt,
    @Nullable Instant sentAt) {}
