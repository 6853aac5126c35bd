package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A webhook delivery (a dead letter when {@code deadAt} is set): which event of which alert went to
 * which webhook, the exact body, the attempts and the last error.
 */
@Serdeable
public record DeliveryView(
    long id,
    long webhookId,
    String cityId,
    String url,
    long eventId,
    String event,
    String alertId,
    String body,
    int attempts,
    @Nullable Instant lastAttemptAt,
    @Nullable String lastError,
    @Nullable Instant nextAttemptAt,
    @Nullable Instant deliveredAt,
    @Nullable Instant deadAt) {

  static DeliveryView of(Delivery d) {
    boolean pending = d.deliveredAt() == null && d.deadAt() == null;
    return new DeliveryView(
        d.id(),
        d.webhookId(),
        d.cityId(),
        d.url(),
        d.eventId(),
        d.event().toLowerCase(java.util.Locale.ROOT),
        d.alertId(),
        d.body(),
        d.attempts(),
        d.lastAttemptAt(),
        d.lastError(),
        pending ? d.nextAttemptAt() : null,
        d.deliveredAt(),
        d.deadAt());
  }
}
