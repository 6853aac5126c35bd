package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One delivery of one alert event to one webhook, and how it went so far: a row of {@code
 * webhook_delivery} with its webhook's city and URL and the event's state ({@code event}).
 */
@Introspected
public record Delivery(
    long id,
    long webhookId,
    String cityId,
    String url,
    long eventId,
    String event,
    String alertId,
    String body,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String lastError,
    @Nullable Instant lastAttemptAt,
    @Nullable Instant deliveredAt,
    @Nullable Instant deadAt) {}
