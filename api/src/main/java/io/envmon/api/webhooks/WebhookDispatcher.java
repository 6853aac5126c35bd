package io.envmon.api.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries (every {@code envmon.webhooks.poll-interval}): claims a batch, POSTs
 * each body signed ({@link WebhookSignature}) in parallel, and records the outcome. A 2xx answer is
 * a delivery; anything else (another status, a refused connection, a timeout) a failed attempt,
 * tried again after an exponential backoff until the last attempt makes it a dead letter. The
 * schedule lives in PostgreSQL, so a restart goes on where it stopped (a delivery being sent at a
 * crash is sent again when its lease ends: at-least-once, receivers deduplicate by {@code
 * X-Envmon-Event-Id}).
 */
@Singleton
public class WebhookDispatcher {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int BATCH = 50;
  private static final int MAX_ERROR_LENGTH = 500;

  private final WebhookStore store;
  private final WebhookRepository repository;
  private final WebhooksConfiguration configuration;
  private final Clock clock;
  private final WebhookTargets targets;
  private final ExecutorService executor;
  private final HttpClient http;
  private final Counter delivered;
  private final Counter failed;
  private final Counter dead;

  public WebhookDispatcher(
      WebhookStore store,
      WebhookRepository repository,
      WebhooksConfiguration configuration,
      Clock clock,
      WebhookTargets targets,
      MeterRegistry meters) {
    this.targets = targets;
    this.store = store;
    this.repository = repository;
    this.configuration = configuration;
    this.clock = clock;
    this.executor = Executors.newFixedThreadPool(4, r -> daemon(r));
    this.http =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(configuration.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.delivered = meters.counter("envmon.webhooks.delivered");
    this.failed = meters.counter("envmon.webhooks.failed.attempts");
    this.dead = meters.counter("envmon.webhooks.dead");
  }

  @Scheduled(
      fixedDelay = "${envmon.webhooks.poll-interval:1s}",
      initialDelay = "${envmon.webhooks.poll-interval:1s}")
  void poll() {
    if (!configuration.enabled()) {
      return;
    }
    try {
      while (deliverBatch() == BATCH) {
        // a full batch: there may be more due at once
      }
    } catch (RuntimeException e) {
      log.warn("Webhook delivery failed, will retry: {}", e.toString());
    }
  }

  /** Sends one batch of due deliveries; returns how many were claimed. */
  public int deliverBatch() {
    Instant now = clock.instant();
    List<WebhookStore.Due> due = store.claimDue(now, now.plus(configuration.lease()), BATCH);
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (WebhookStore.Due claimed : due) {
      sends.add(send(claimed));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    return due.size();
  }

  private CompletableFuture<Void> send(WebhookStore.Due claimed) {
    Delivery delivery = claimed.delivery();
    byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request;
    try {
      URI target = URI.create(delivery.url());
      Optional<String> refusal = targets.refusal(target);
      if (refusal.isPresent()) {
        recordFailure(delivery, "not sent: " + refusal.get());
        return CompletableFuture.completedFuture(null);
      }
      request =
          HttpRequest.newBuilder(target)
              .timeout(configuration.timeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "envmon-webhooks/1")
              .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
              .header(
                  WebhookSignature.SIGNATURE_HEADER,
                  WebhookSignature.sign(claimed.secret(), timestamp, body))
              .header(
                  WebhookSignature.EVENT_HEADER,
                  delivery.event().toLowerCase(java.util.Locale.ROOT))
              .header(WebhookSignature.EVENT_ID_HEADER, Long.toString(delivery.eventId()))
              .header(WebhookSignature.DELIVERY_HEADER, Long.toString(delivery.id()))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      recordFailure(delivery, "bad URL: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              try {
                if (error == null && response.statusCode() / 100 == 2) {
                  repository.markDelivered(delivery.id(), delivery.attempts() + 1, clock.instant());
                  delivered.increment();
                } else {
                  recordFailure(
                      delivery,
                      error == null
                          ? "HTTP " + response.statusCode()
                          : error.getCause() == null
                              ? error.toString()
                              : error.getCause().toString());
                }
              } catch (RuntimeException e) {
                // the lease runs out and the delivery is tried again
                log.warn("Could not record webhook delivery {}: {}", delivery.id(), e.toString());
              }
              return null;
            });
  }

  private void recordFailure(Delivery delivery, String error) {
    int attempts = delivery.attempts() + 1;
    Instant now = clock.instant();
    String shortError =
        error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
    failed.increment();
    if (attempts >= configuration.maxAttempts()) {
      repository.markDead(delivery.id(), attempts, now, shortError);
      dead.increment();
      log.warn(
          "Webhook delivery {} (event {}) to {} is a dead letter after {} attempts: {}",
          delivery.id(),
          delivery.eventId(),
          delivery.url(),
          attempts,
          shortError);
    } else {
      repository.markRetry(
          delivery.id(), attempts, now, shortError, now.plus(configuration.backoffAfter(attempts)));
    }
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "webhook-sender");
    thread.setDaemon(true);
    return thread;
  }
}
