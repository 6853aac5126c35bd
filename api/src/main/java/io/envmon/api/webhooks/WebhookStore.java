package io.envmon.api.webhooks;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook} and {@code webhook_delivery} tables (V3__alert_delivery.sql) in plain SQL:
 * deliveries are written in the transaction of their alert event and claimed with {@code FOR UPDATE
 * SKIP LOCKED}, so several API replicas can deliver without sending one twice at once.
 */
@Singleton
public class WebhookStore {

  private static final String DELIVERY_COLUMNS =
      "d.id, d.webhook_id, w.city_id, w.url, d.event_id, e.state, d.alert_id, d.body, d.attempts,"
          + " d.next_attempt_at, d.last_error, d.last_attempt_at, d.delivered_at, d.dead_at";

  private final TransactionOperations<Connection> transactions;

  public WebhookStore(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** A webhook of a city; the secret is only read to sign. */
  public record Webhook(
      long id, String cityId, String url, String secret, Instant createdAt, String createdBy) {}

  /** One delivery of one event to one webhook, and how it went so far. */
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
      String lastError,
      Instant lastAttemptAt,
      Instant deliveredAt,
      Instant deadAt) {}

  /** A claimed delivery with what it takes to send it. */
  public record Due(Delivery delivery, String secret) {}

  /**
   * Adds a delivery of the event to every webhook of the city, due now; joins the caller's
   * transaction (the one appending the event).
   */
  public void enqueue(
      Connection connection, long eventId, String alertId, String cityId, String state, String body)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO webhook_delivery (webhook_id, event_id, alert_id, body, next_attempt_at)"
                + " SELECT id, ?, ?, ?, now() FROM webhook WHERE city_id = ?"
                + " ON CONFLICT (webhook_id, event_id) DO NOTHING")) {
      insert.setLong(1, eventId);
      insert.setString(2, alertId);
      insert.setString(3, body);
      insert.setString(4, cityId);
      insert.executeUpdate();
    }
  }

  public Webhook create(String cityId, String url, String secret, Instant at, String by) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement insert =
              status
                  .getConnection()
                  .prepareStatement(
                      "INSERT INTO webhook (city_id, url, secret, created_at, created_by)"
                          + " VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, cityId);
            insert.setString(2, url);
            insert.setString(3, secret);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setString(5, by);
            try (ResultSet rows = insert.executeQuery()) {
              rows.next();
              return new Webhook(rows.getLong(1), cityId, url, secret, at, by);
            }
          }
        });
  }

  public List<Webhook> findByCity(String cityId) {
    return queryWebhooks(
        "SELECT id, city_id, url, secret, created_at, created_by FROM webhook WHERE city_id = ?"
            + " ORDER BY id",
        cityId);
  }

  public Optional<Webhook> findById(long id) {
    return queryWebhooks(
            "SELECT id, city_id, url, secret, created_at, created_by FROM webhook WHERE id = ?", id)
        .stream()
        .findFirst();
  }

  /** Deletes the webhook with its deliveries (pending ones and dead letters). */
  public boolean delete(long id) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement delete =
              status.getConnection().prepareStatement("DELETE FROM webhook WHERE id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate() == 1;
          }
        });
  }

  /**
   * Claims up to {@code limit} due deliveries, oldest first: each is pushed to {@code leaseUntil}
   * so that nobody else takes it while it is being sent (and a crash retries it then).
   */
  public List<Due> claimDue(Instant now, Instant leaseUntil, int limit) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement claim =
              status
                  .getConnection()
                  .prepareStatement(
                      "UPDATE webhook_delivery d SET next_attempt_at = ?"
                          + " FROM webhook w, alert_event e"
                          + " WHERE d.id IN (SELECT id FROM webhook_delivery"
                          + "   WHERE delivered_at IS NULL AND dead_at IS NULL"
                          + "   AND next_attempt_at <= ? ORDER BY id LIMIT ?"
                          + "   FOR UPDATE SKIP LOCKED)"
                          + " AND w.id = d.webhook_id AND e.id = d.event_id"
                          + " RETURNING "
                          + DELIVERY_COLUMNS
                          + ", w.secret")) {
            claim.setTimestamp(1, Timestamp.from(leaseUntil));
            claim.setTimestamp(2, Timestamp.from(now));
            claim.setInt(3, limit);
            List<Due> due = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
              while (rows.next()) {
                due.add(new Due(delivery(rows), rows.getString("secret")));
              }
            }
            due.sort((a, b) -> Long.compare(a.delivery().id(), b.delivery().id()));
            return due;
          }
        });
  }

  public void markDelivered(long deliveryId, int attempts, Instant at) {
    update(
        "UPDATE webhook_delivery SET attempts = ?, delivered_at = ?, last_attempt_at = ?,"
            + " last_error = NULL WHERE id = ?",
        attempts,
        at,
        at,
        deliveryId);
  }

  /** Records a failed attempt: due again at {@code nextAttemptAt}, or dead when that is null. */
  public void markFailed(
      long deliveryId, int attempts, Instant at, String error, Instant nextAttemptAt) {
    if (nextAttemptAt == null) {
      update(
          "UPDATE webhook_delivery SET attempts = ?, last_attempt_at = ?, last_error = ?,"
              + " dead_at = ? WHERE id = ?",
          attempts,
          at,
          error,
          at,
          deliveryId);
    } else {
      update(
          "UPDATE webhook_delivery SET attempts = ?, last_attempt_at = ?, last_error = ?,"
              + " next_attempt_at = ? WHERE id = ?",
          attempts,
          at,
          error,
          nextAttemptAt,
          deliveryId);
    }
  }

  /** Dead letters, newest first, of one city (or all), optionally of one webhook. */
  public List<Delivery> deadLetters(
      Optional<String> cityId, Optional<Long> webhookId, int limit, long offset) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + DELIVERY_COLUMNS
                + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
                + " JOIN alert_event e ON e.id = d.event_id WHERE d.dead_at IS NOT NULL");
    cityId.ifPresent(c -> sql.append(" AND w.city_id = ?"));
    webhookId.ifPresent(c -> sql.append(" AND d.webhook_id = ?"));
    sql.append(" ORDER BY d.dead_at DESC, d.id DESC LIMIT ? OFFSET ?");
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select = status.getConnection().prepareStatement(sql.toString())) {
            int index = 1;
            if (cityId.isPresent()) {
              select.setString(index++, cityId.get());
            }
            if (webhookId.isPresent()) {
              select.setLong(index++, webhookId.get());
            }
            select.setInt(index++, limit);
            select.setLong(index, offset);
            List<Delivery> deliveries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                deliveries.add(delivery(rows));
              }
            }
            return deliveries;
          }
        });
  }

  /** Makes a dead letter due again now, with a fresh count of attempts. */
  public boolean redeliver(long deliveryId) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement update =
              status
                  .getConnection()
                  .prepareStatement(
                      "UPDATE webhook_delivery SET dead_at = NULL, attempts = 0,"
                          + " next_attempt_at = now() WHERE id = ? AND dead_at IS NOT NULL")) {
            update.setLong(1, deliveryId);
            return update.executeUpdate() == 1;
          }
        });
  }

  public Optional<Delivery> findDelivery(long deliveryId) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select =
              status
                  .getConnection()
                  .prepareStatement(
                      "SELECT "
                          + DELIVERY_COLUMNS
                          + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
                          + " JOIN alert_event e ON e.id = d.event_id WHERE d.id = ?")) {
            select.setLong(1, deliveryId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(delivery(rows)) : Optional.<Delivery>empty();
            }
          }
        });
  }

  private List<Webhook> queryWebhooks(String sql, Object parameter) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select = status.getConnection().prepareStatement(sql)) {
            select.setObject(1, parameter);
            List<Webhook> webhooks = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                webhooks.add(
                    new Webhook(
                        rows.getLong("id"),
                        rows.getString("city_id"),
                        rows.getString("url"),
                        rows.getString("secret"),
                        rows.getTimestamp("created_at").toInstant(),
                        rows.getString("created_by")));
              }
            }
            return webhooks;
          }
        });
  }

  private void update(String sql, Object... parameters) {
    transactions.executeWrite(
        status -> {
          try (PreparedStatement update = status.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              Object value = parameters[i];
              update.setObject(
                  i + 1, value instanceof Instant instant ? Timestamp.from(instant) : value);
            }
            return update.executeUpdate();
          }
        });
  }

  private static Delivery delivery(ResultSet rows) throws SQLException {
    return new Delivery(
        rows.getLong("id"),
        rows.getLong("webhook_id"),
        rows.getString("city_id"),
        rows.getString("url"),
        rows.getLong("event_id"),
        rows.getString("state"),
        rows.getString("alert_id"),
        rows.getString("body"),
        rows.getInt("attempts"),
        instant(rows, "next_attempt_at"),
        rows.getString("last_error"),
        instant(rows, "last_attempt_at"),
        instant(rows, "delivered_at"),
        instant(rows, "dead_at"));
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    Timestamp timestamp = rows.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }
}
