package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A webhook in the API's answers; {@code secret} only in the answer that created it. */
@Serdeable
public record WebhookView(
    long id,
    String cityId,
    String url,
    Instant createdAt,
    String createdBy,
    @Nullable String secret) {

  static WebhookView of(Webhook webhook, boolean withSecret) {
    return new WebhookView(
        webhook.id(),
        webhook.cityId(),
        webhook.url(),
        webhook.createdAt(),
        webhook.createdBy(),
        withSecret ? webhook.secret() : null);
  }
}
