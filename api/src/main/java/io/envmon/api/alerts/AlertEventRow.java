package io.envmon.api.alerts;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** A row of {@code alert_event} (V2, V3): the change's state, time and record as it arrived. */
@Introspected
public record AlertEventRow(
    long id, String state, Instant at, String payload, @Nullable String acknowledgedBy) {}
