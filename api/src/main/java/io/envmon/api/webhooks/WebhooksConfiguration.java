package io.envmon.api.webhooks;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;

/**
 * How alert webhooks are delivered ({@code envmon.webhooks}): how often due deliveries are looked
 * for, the timeout of one POST, and the retries: attempt n+1 comes {@code initialBackoff * 2^(n-1)}
 * (at most {@code maxBackoff}) after failed attempt n; after {@code maxAttempts} failed attempts
 * the delivery is a dead letter. {@code allowedTargets}: internal addresses or networks webhooks
 * may call all the same ({@link WebhookTargets}).
 */
@ConfigurationProperties("envmon.webhooks")
public record WebhooksConfiguration(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "1s") Duration pollInterval,
    @Bindable(defaultValue = "10s") Duration timeout,
    @Bindable(defaultValue = "8") @Min(1) int maxAttempts,
    @Bindable(defaultValue = "10s") Duration initialBackoff,
    @Bindable(defaultValue = "1h") Duration maxBackoff,
    @Nullable List<String> allowedTargets) {

  public WebhooksConfiguration {
    allowedTargets = allowedTargets == null ? List.of() : List.copyOf(allowedTargets);
  }

  /** When to try again after {@code attempts} failed attempts. */
  public Duration backoffAfter(int attempts) {
    Duration backoff = initialBackoff;
    for (int i = 1; i < attempts && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  /**
   * How long a claimed delivery is left alone by other pollers (and by this one after a crash)
   * before it is tried again: longer than one POST can take.
   */
  public Duration lease() {
    return timeout.multipliedBy(2).plusSeconds(5);
  }
}
