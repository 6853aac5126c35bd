package io.envmon.api.registry;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to Kafka in id order: a row is marked sent only after Kafka acknowledged it, in
 * the transaction that locked it, so PostgreSQL and Kafka cannot drift (at-least-once; the
 * compacted topic makes a repeat harmless).
 */
@Singleton
public class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 100;

  private final OutboxRepository outbox;
  private final OutboxPublisher publisher;
  private final Clock clock;
  private final TransactionOperations<Connection> transactions;

  public OutboxRelay(
      OutboxRepository outbox,
      OutboxPublisher publisher,
      Clock clock,
      TransactionOperations<Connection> transactions) {
    this.outbox = outbox;
    this.transactions = transactions;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelay = "${envmon.registry.outbox-poll-interval:500ms}",
      initialDelay = "${envmon.registry.outbox-poll-interval:500ms}")
  void poll() {
    try {
      relayBatch();
    } catch (RuntimeException e) {
      log.warn("Outbox relay failed, will retry: {}", e.toString());
    }
  }

  /** Publishes up to one batch of unsent rows; returns how many were sent. */
  public int relayBatch() {
    return transactions.executeWrite(status -> relayLockedBatch());
  }

  private int relayLockedBatch() {
    List<OutboxRow> rows = outbox.lockUnsent(BATCH);
    int sent = 0;
    for (OutboxRow row : rows) {
      try {
        publisher.send(row.topic(), row.messageKey(), row.payload());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        log.warn(
            "Kafka did not take outbox row {} ({}): {}", row.id(), row.messageKey(), e.toString());
        break;
      }
      outbox.updateSentAt(row.id(), clock.instant());
      sent++;
    }
    return sent;
  }
}
