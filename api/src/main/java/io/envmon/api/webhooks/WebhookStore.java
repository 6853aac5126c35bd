package io.envmon.api.webhooks;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Claiming due deliveries ({@link WebhookRepository} does the rest): locked, leased and read in one
 * transaction, so a crash retries a delivery once its lease ends.
 */
@Singleton
public class WebhookStore {

  private final WebhookRepository repository;

  public WebhookStore(WebhookRepository repository) {
    this.repository = repository;
  }

  /** A claimed delivery with what it takes to send it. */
  public record Due(Delivery delivery, String secret) {}

  /**
   * Claims up to {@code limit} due deliveries, oldest first: each is pushed to {@code leaseUntil}
   * so that nobody else takes it while it is being sent (and a crash retries it then).
   */
  @Transactional
  public List<Due> claimDue(Instant now, Instant leaseUntil, int limit) {
    List<Long> ids = repository.lockDue(now, limit);
    if (ids.isEmpty()) {
      return List.of();
    }
    repository.lease(ids, leaseUntil);
    List<Delivery> deliveries = repository.deliveries(ids);
    Map<Long, String> secrets =
        repository
            .findByIdInList(deliveries.stream().map(Delivery::webhookId).distinct().toList())
            .stream()
            .collect(Collectors.toMap(Webhook::id, Webhook::secret));
    return deliveries.stream().map(d -> new Due(d, secrets.get(d.webhookId()))).toList();
  }
}
