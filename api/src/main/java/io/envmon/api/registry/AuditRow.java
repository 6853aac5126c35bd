package io.envmon.api.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** Who changed what, written in the transaction of the change. */
@MappedEntity("audit_log")
public record AuditRow(
    @Id @GeneratedValue @Nullable Long id,
    Instant at,
    String actor,
    String action,
    String subject,
    @Nullable String detail) {}
