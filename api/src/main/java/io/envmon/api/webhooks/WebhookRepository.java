package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook} and {@code webhook_delivery} tables (V3__alert_delivery.sql). Deliveries are
 * written in the transaction of their alert event ({@link #enqueue}) and claimed with {@code FOR
 * UPDATE SKIP LOCKED} ({@link #lockDue}), so several API replicas deliver without sending one twice
 * at once.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebhookRepository extends CrudRepository<Webhook, Long> {

  String DELIVERY =
      "SELECT d.id, d.webhook_id, w.city_id, w.url, d.event_id, e.state AS event, d.alert_id,"
          + " d.body, d.attempts, d.next_attempt_at, d.last_error, d.last_attempt_at,"
          + " d.delivered_at, d.dead_at"
          + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
          + " JOIN alert_event e ON e.id = d.event_id";

  List<Webhook> findByCityIdOrderById(String cityId);

  List<Webhook> findByIdInList(Collection<Long> ids);

  /** A delivery of the event to every webhook of the city, due now (the event's transaction). */
  @Query(
      "INSERT INTO webhook_delivery (webhook_id, event_id, alert_id, body, next_attempt_at)"
          + " SELECT id, :eventId, :alertId, :body, now() FROM webhook WHERE city_id = :cityId"
          + " ON CONFLICT (webhook_id, event_id) DO NOTHING")
  void enqueue(long eventId, String alertId, String body, String cityId);

  /** Locks up to {@code limit} due deliveries, oldest first, that nobody else has locked. */
  @Query(
      "SELECT id FROM webhook_delivery WHERE delivered_at IS NULL AND dead_at IS NULL"
          + " AND next_attempt_at <= :now ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
  List<Long> lockDue(Instant now, int limit);

  @Query("UPDATE webhook_delivery SET next_attempt_at = :until WHERE id IN (:ids)")
  void lease(Collection<Long> ids, Instant until);

  @Query(DELIVERY + " WHERE d.id IN (:ids) ORDER BY d.id")
  List<Delivery> deliveries(Collection<Long> ids);

  @Query(DELIVERY + " WHERE d.id = :id")
  Optional<Delivery> findDelivery(long id);

  @Query(
      DELIVERY
          + " WHERE d.dead_at IS NOT NULL"
          + " AND (CAST(:cityId AS text) IS NULL OR w.city_id = :cityId)"
          + " AND (CAST(:webhookId AS bigint) IS NULL OR d.webhook_id = :webhookId)"
          + " ORDER BY d.dead_at DESC, d.id DESC LIMIT :limit OFFSET :offset")
  List<Delivery> deadLetters(
      @Nullable String cityId, @Nullable Long webhookId, int limit, long offset);

  @Query(
      "UPDATE webhook_delivery SET attempts = :attempts, delivered_at = :at,"
          + " last_attempt_at = :at, last_error = NULL WHERE id = :id")
  void markDelivered(long id, int attempts, Instant at);

  @Query(
      "UPDATE webhook_delivery SET attempts = :attempts, last_attempt_at = :at,"
          + " last_error = :error, next_attempt_at = :next WHERE id = :id")
  void markRetry(long id, int attempts, Instant at, String error, Instant next);

  @Query(
      "UPDATE webhook_delivery SET attempts = :attempts, last_attempt_at = :at,"
          + " last_error = :error, dead_at = :at WHERE id = :id")
  void markDead(long id, int attempts, Instant at, String error);

  /** Makes a dead letter due again now, with a fresh count of attempts; 1 when it was one. */
  @Query(
      "UPDATE webhook_delivery SET dead_at = NULL, attempts = 0, next_attempt_at = now()"
          + " WHERE id = :id AND dead_at IS NOT NULL")
  long redeliver(long id);
}
