package io.envmon.api.alerts;

import io.envmon.api.webhooks.WebhookStore;
import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.type.Argument;
import io.micronaut.data.model.Pageable;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code alert} and {@code alert_event} tables (V2__alerts.sql, V6: detection time, one active
 * alert per point and type), in plain SQL: the upsert of a consumed alert must be idempotent,
 * ordered and keep one active episode per point and type, which a derived query cannot say.
 */
@Singleton
public class AlertStore {

  private static final String COLUMNS =
      "id, type, state, severity, point_id, city_id, kind, values_json, threshold, message,"
          + " started_at, updated_at, origin_city, origin_point, path, acknowledged_by,"
          + " acknowledged_at, message_zh, detected_at, delayed";

  /** The advisory lock that serialises appends to {@code alert_event}. */
  private static final long EVENT_WRITER_LOCK = 0x656e766d6f6e01L;

  /** The first key of the advisory locks per point and type (the second: a hash of the key). */
  private static final int EPISODE_KEY_LOCKS = 0x656e7601;

  private static final Logger log = LoggerFactory.getLogger(AlertStore.class);

  private final TransactionOperations<Connection> transactions;
  private final JsonMapper json;
  private final WebhookStore webhooks;
  private final Clock clock;

  public AlertStore(
      TransactionOperations<Connection> transactions,
      JsonMapper json,
      WebhookStore webhooks,
      Clock clock) {
    this.transactions = transactions;
    this.json = json;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  /** One consumed change: the alert and the record's payload as it arrived. */
  public record Change(Alert alert, byte[] payload) {}

  /**
   * Stores one consumed change: the alert row takes it unless it already holds a later one, and an
   * event is appended unless this very change (id, state, time) is there already, with a delivery
   * to each webhook of the alert's city. Returns whether an event was appended (false on
   * redelivery).
   */
  public boolean record(Alert alert, byte[] payload) {
    return recordAll(List.of(new Change(alert, payload))) == 1;
  }

  /**
   * Stores consumed changes in order, in one transaction (one commit, one fsync, for a whole poll
   * of the consumer), as {@link #record} would one by one. Returns how many of them appended their
   * event (redelivered ones do not).
   *
   * <p>At most one alert of a point and type (and receiving city, and origin for JOINT) is active:
   * when a RAISED or ESCALATED change of one episode meets another active episode, the one that
   * started later wins (equal starts: the greater id) and the other is closed as superseded, with a
   * CLEARED event. A superseded episode takes no further change (a redelivered or late record of it
   * changes nothing). The partial unique index {@code alert_one_active} (V6) guarantees the rule.
   *
   * <p>Locks are taken so that neither another consumer's batch nor an acknowledgement can deadlock
   * with it: first the episode keys of all changes, in one statement in the order of the lock ids
   * (two replicas' batches over the same keys queue on the first they share), then the alert rows
   * under them, then, once, the lock of the event writer, under which the events are appended in
   * the changes' order (an acknowledgement takes a row, then the event writer's lock).
   */
  public int recordAll(List<Change> changes) {
    return transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          lockEpisodeKeys(connection, changes);
          List<PendingEvent> events = new ArrayList<>();
          for (Change change : changes) {
            apply(connection, change.alert(), change.payload(), events);
          }
          if (events.isEmpty()) {
            return 0;
          }
          lockEventWriter(connection);
          int appended = 0;
          boolean any = false;
          for (PendingEvent pending : events) {
            if (appendEvent(connection, pending)) {
              any = true;
              if (pending.consumed()) {
                appended++;
              }
            }
          }
          if (any) {
            notifyEvents(connection);
          }
          return appended;
        });
  }

  /**
   * An event to append: the change's state, time and payload; {@code consumed} when it is the
   * consumed change itself rather than the closing of an episode it superseded.
   */
  private record PendingEvent(
      String state, Instant at, String payload, AlertEvent event, boolean consumed) {

    static PendingEvent of(Alert alert, String payload, boolean consumed) {
      return new PendingEvent(
          alert.state().name(),
          alert.updatedAt(),
          payload,
          new AlertEvent(0, alert.state().name(), alert, null, null),
          consumed);
    }
  }

  /** Updates the rows for one change and adds the events it makes to {@code events}. */
  private void apply(Connection connection, Alert alert, byte[] payload, List<PendingEvent> events)
      throws SQLException {
    Optional<EpisodeRow> current = episodeRow(connection, alert.alertId());
    if (current.isPresent() && current.get().supersededBy() != null) {
      log.info(
          "Alert {} ({} at {}) ignored: superseded by {}",
          alert.alertId(),
          alert.state(),
          alert.updatedAt(),
          current.get().supersededBy());
      return;
    }
    boolean takesRow = current.isEmpty() || !current.get().updatedAt().isAfter(alert.updatedAt());
    if (alert.isActive() && takesRow) {
      Optional<Alert> rival = activeRival(connection, alert);
      if (rival.isPresent()) {
        Instant now = clock.instant();
        if (startsLater(rival.get(), alert)) {
          Alert closed = superseded(alert, rival.get(), now);
          upsert(connection, closed, rival.get().alertId());
          events.add(
              PendingEvent.of(
                  closed, new String(AlertJson.encode(closed), StandardCharsets.UTF_8), true));
          return;
        }
        Alert closed = superseded(rival.get(), alert, now);
        upsert(connection, closed, alert.alertId());
        events.add(
            PendingEvent.of(
                closed, new String(AlertJson.encode(closed), StandardCharsets.UTF_8), false));
      }
    }
    upsert(connection, alert, null);
    events.add(PendingEvent.of(alert, new String(payload, StandardCharsets.UTF_8), true));
  }

  /** What {@link #record} needs of an alert's current row. */
  private record EpisodeRow(Instant updatedAt, String supersededBy) {}

  /**
   * Serialises the writers of one point and type (several replicas may consume partitions holding
   * two episodes of it) until commit, in a key space of its own beside {@link #EVENT_WRITER_LOCK}:
   * the keys of all the changes, taken in one statement in the order of their lock ids, so two
   * transactions over overlapping keys wait for each other instead of deadlocking.
   */
  private static void lockEpisodeKeys(Connection connection, List<Change> changes)
      throws SQLException {
    String[] keys =
        changes.stream().map(c -> episodeKey(c.alert())).distinct().toArray(String[]::new);
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT count(pg_advisory_xact_lock(?, h)) FROM (SELECT DISTINCT hashtext(k) AS h"
                + " FROM unnest(?::text[]) AS k ORDER BY h) AS ordered")) {
      lock.setInt(1, EPISODE_KEY_LOCKS);
      lock.setArray(2, connection.createArrayOf("text", keys));
      lock.execute();
    }
  }

  private static String episodeKey(Alert alert) {
    return String.join(
        "|",
        alert.pointId(),
        alert.type().name(),
        alert.cityId(),
        Objects.requireNonNullElse(alert.originPointId(), ""));
  }

  private static Optional<EpisodeRow> episodeRow(Connection connection, String id)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT updated_at, superseded_by FROM alert WHERE id = ? FOR UPDATE")) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new EpisodeRow(rows.getTimestamp(1).toInstant(), rows.getString(2)));
      }
    }
  }

  /** The active alert of the same point and type as {@code alert}, under another id, locked. */
  private Optional<Alert> activeRival(Connection connection, Alert alert) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM alert WHERE point_id = ? AND type = ? AND city_id = ?"
                + " AND coalesce(origin_point, '') = ? AND state <> 'CLEARED' AND id <> ?"
                + " FOR UPDATE")) {
      select.setString(1, alert.pointId());
      select.setString(2, alert.type().name());
      select.setString(3, alert.cityId());
      select.setString(4, Objects.requireNonNullElse(alert.originPointId(), ""));
      select.setString(5, alert.alertId());
      return readAll(select).stream().map(StoredAlert::alert).findFirst();
    }
  }

  /** Whether episode {@code a} started after {@code b} (equal starts: the greater id wins). */
  static boolean startsLater(Alert a, Alert b) {
    int byStart = a.startedAt().compareTo(b.startedAt());
    return byStart != 0 ? byStart > 0 : a.alertId().compareTo(b.alertId()) > 0;
  }

  /**
   * {@code loser} closed because {@code winner} is the active episode of its point and type: as of
   * the later of its own last change and the winner's start, detected now.
   */
  static Alert superseded(Alert loser, Alert winner, Instant now) {
    Instant at =
        loser.updatedAt().isAfter(winner.startedAt()) ? loser.updatedAt() : winner.startedAt();
    String message =
        "superseded by alert "
            + winner.alertId()
            + " of the same point and type (one active alert per point and type)";
    String messageZh = "已被同一点位同类告警 " + winner.alertId() + " 取代（每个点位同类告警只保留一条）";
    return loser
        .next(AlertState.CLEARED, loser.severity(), loser.values(), message, messageZh, at)
        .detected(now, winner.delayed(), message, messageZh);
  }

  /**
   * Inserts the alert's row, or updates it unless it holds a later change or was superseded; {@code
   * supersededBy} names the winner when this change closes the episode as superseded.
   */
  private void upsert(Connection connection, Alert alert, String supersededBy) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO alert ("
                + COLUMNS
                + ", superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL,"
                + " NULL, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state,"
                + " severity = EXCLUDED.severity, values_json = EXCLUDED.values_json,"
                + " message = EXCLUDED.message, message_zh = EXCLUDED.message_zh,"
                + " updated_at = EXCLUDED.updated_at, detected_at = EXCLUDED.detected_at,"
                + " delayed = EXCLUDED.delayed, superseded_by = EXCLUDED.superseded_by"
                + " WHERE alert.updated_at <= EXCLUDED.updated_at"
                + " AND alert.superseded_by IS NULL")) {
      upsert.setString(1, alert.alertId());
      upsert.setString(2, alert.type().name());
      upsert.setString(3, alert.state().name());
      upsert.setString(4, alert.severity().name());
      upsert.setString(5, alert.pointId());
      upsert.setString(6, alert.cityId());
      upsert.setString(7, alert.kind().name());
      upsert.setString(8, write(alert.values()));
      if (alert.threshold() == null) {
        upsert.setNull(9, Types.DOUBLE);
      } else {
        upsert.setDouble(9, alert.threshold());
      }
      upsert.setString(10, alert.message());
      upsert.setTimestamp(11, Timestamp.from(alert.startedAt()));
      upsert.setTimestamp(12, Timestamp.from(alert.updatedAt()));
      upsert.setString(13, alert.originCityId());
      upsert.setString(14, alert.originPointId());
      upsert.setString(15, alert.path() == null ? null : write(alert.path()));
      upsert.setString(16, alert.messageZh());
      upsert.setTimestamp(
          17, alert.detectedAt() == null ? null : Timestamp.from(alert.detectedAt()));
      upsert.setBoolean(18, alert.delayed());
      upsert.setString(19, supersededBy);
      upsert.executeUpdate();
    }
  }

  /**
   * Appends the ACKNOWLEDGED event of an alert (its current record, who and when) in the caller's
   * transaction, with its webhook deliveries.
   */
  public void recordAcknowledgement(StoredAlert stored, String username, Instant at) {
    transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          lockEventWriter(connection);
          boolean appended =
              appendEvent(
                  connection,
                  new PendingEvent(
                      AlertEvent.ACKNOWLEDGED,
                      at,
                      new String(AlertJson.encode(stored.alert()), StandardCharsets.UTF_8),
                      new AlertEvent(0, AlertEvent.ACKNOWLEDGED, stored.alert(), username, at),
                      true));
          if (appended) {
            notifyEvents(connection);
          }
          return appended;
        });
  }

  /**
   * One writer of {@code alert_event} at a time (the consumer, acknowledgements) until commit, so
   * ids become visible in id order and a reader following "id > last seen" (SSE, MQTT) skips none.
   */
  private static void lockEventWriter(Connection connection) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(" + EVENT_WRITER_LOCK + ")")) {
      lock.execute();
    }
  }

  /** Delivered when the transaction commits: the SSE streams of every replica read at once. */
  private static void notifyEvents(Connection connection) throws SQLException {
    try (PreparedStatement notify =
        connection.prepareStatement("SELECT pg_notify('" + AlertEventNotices.CHANNEL + "', '')")) {
      notify.execute();
    }
  }

  /**
   * Appends an event with its webhook deliveries, under the event writer's lock; false when this
   * very change is there already.
   */
  private boolean appendEvent(Connection connection, PendingEvent event) throws SQLException {
    long eventId;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO alert_event (alert_id, state, at, payload, acknowledged_by)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (alert_id, state, at) DO NOTHING"
                + " RETURNING id")) {
      insert.setString(1, event.event().alert().alertId());
      insert.setString(2, event.state());
      insert.setTimestamp(3, Timestamp.from(event.at()));
      insert.setString(4, event.payload());
      insert.setString(5, event.event().acknowledgedBy());
      try (ResultSet rows = insert.executeQuery()) {
        if (!rows.next()) {
          return false;
        }
        eventId = rows.getLong(1);
      }
    }
    webhooks.enqueue(
        connection,
        eventId,
        event.event().alert().alertId(),
        event.event().alert().cityId(),
        event.state(),
        write(event.event().view()));
    return true;
  }

  /**
   * One page of the alerts in one of the states, optionally of one city and type, newest change
   * first, of those {@code visibleTo} admits; one more than the page size is read to tell whether a
   * next page exists.
   */
  public Slice<StoredAlert> find(
      Set<AlertState> states,
      Optional<String> cityId,
      Optional<AlertType> type,
      Visibility visibleTo,
      Pageable page) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE state = ANY (?)");
    cityId.ifPresent(c -> sql.append(" AND city_id = ?"));
    type.ifPresent(t -> sql.append(" AND type = ?"));
    if (!visibleTo.everything()) {
      sql.append(" AND (city_id = ? OR point_id = ANY (?))");
    }
    sql.append(" ORDER BY updated_at DESC, id LIMIT ? OFFSET ?");
    List<StoredAlert> rows =
        transactions.executeRead(
            status -> {
              Connection connection = status.getConnection();
              try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                int index = 1;
                select.setArray(
                    index++,
                    connection.createArrayOf(
                        "text", states.stream().map(Enum::name).toArray(String[]::new)));
                if (cityId.isPresent()) {
                  select.setString(index++, cityId.get());
                }
                if (type.isPresent()) {
                  select.setString(index++, type.get().name());
                }
                if (!visibleTo.everything()) {
                  select.setString(index++, visibleTo.cityId());
                  select.setArray(
                      index++,
                      connection.createArrayOf(
                          "text", visibleTo.pointIds().toArray(String[]::new)));
                }
                select.setInt(index++, page.getSize() + 1);
                select.setLong(index, page.getOffset());
                return readAll(select);
              }
            });
    boolean more = rows.size() > page.getSize();
    return new Slice<>(more ? rows.subList(0, page.getSize()) : rows, more);
  }

  /**
   * Which alerts a list may hold: every one, or those of a city (the receiving one) and of the
   * points visible to the viewer.
   */
  public record Visibility(boolean everything, String cityId, Set<String> pointIds) {
    public static Visibility all() {
      return new Visibility(true, null, Set.of());
    }
  }

  /** One page of a list, and whether a next one exists. */
  public record Slice<T>(List<T> content, boolean hasNext) {}

  public Optional<StoredAlert> findById(String id) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select =
              status
                  .getConnection()
                  .prepareStatement("SELECT " + COLUMNS + " FROM alert WHERE id = ?")) {
            select.setString(1, id);
            return readAll(select).stream().findFirst();
          }
        });
  }

  /**
   * Records the acknowledgement unless there is one already; returns whether this call recorded it.
   * Joins the caller's transaction.
   */
  public boolean acknowledge(String id, String username, Instant at) {
    return transactions.executeWrite(
        status -> {
          try (PreparedStatement update =
              status
                  .getConnection()
                  .prepareStatement(
                      "UPDATE alert SET acknowledged_by = ?, acknowledged_at = ?"
                          + " WHERE id = ? AND acknowledged_by IS NULL")) {
            update.setString(1, username);
            update.setTimestamp(2, Timestamp.from(at));
            update.setString(3, id);
            return update.executeUpdate() == 1;
          }
        });
  }

  /** Up to {@code limit} events after the given id, in id order. */
  public List<AlertEvent> eventsAfter(long afterId, int limit) {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select =
              status
                  .getConnection()
                  .prepareStatement(
                      "SELECT id, state, payload, acknowledged_by, at FROM alert_event"
                          + " WHERE id > ? ORDER BY id LIMIT ?")) {
            select.setLong(1, afterId);
            select.setInt(2, limit);
            List<AlertEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                String acknowledgedBy = rows.getString(4);
                events.add(
                    new AlertEvent(
                        rows.getLong(1),
                        rows.getString(2),
                        AlertJson.decode(rows.getString(3).getBytes(StandardCharsets.UTF_8)),
                        acknowledgedBy,
                        acknowledgedBy == null ? null : rows.getTimestamp(5).toInstant()));
              }
            }
            return events;
          } catch (DecodeException e) {
            throw new IllegalStateException("an alert_event payload does not decode", e);
          }
        });
  }

  /** The id of the newest event, 0 when there is none. */
  public long lastEventId() {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select =
                  status.getConnection().prepareStatement("SELECT max(id) FROM alert_event");
              ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  private List<StoredAlert> readAll(PreparedStatement select) throws SQLException {
    List<StoredAlert> alerts = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        double threshold = rows.getDouble("threshold");
        Double thresholdOrNull = rows.wasNull() ? null : threshold;
        String path = rows.getString("path");
        Timestamp acknowledgedAt = rows.getTimestamp("acknowledged_at");
        Timestamp detectedAt = rows.getTimestamp("detected_at");
        Alert alert =
            new Alert(
                rows.getString("id"),
                AlertType.valueOf(rows.getString("type")),
                AlertState.valueOf(rows.getString("state")),
                AlertSeverity.valueOf(rows.getString("severity")),
                rows.getString("point_id"),
                rows.getString("city_id"),
                PointKind.valueOf(rows.getString("kind")),
                read(rows.getString("values_json"), Argument.mapOf(String.class, Double.class)),
                thresholdOrNull,
                rows.getString("message"),
                rows.getString("message_zh"),
                rows.getTimestamp("started_at").toInstant(),
                rows.getTimestamp("updated_at").toInstant(),
                rows.getString("origin_point"),
                rows.getString("origin_city"),
                path == null ? null : read(path, Argument.listOf(String.class)),
                detectedAt == null ? null : detectedAt.toInstant(),
                rows.getBoolean("delayed"));
        alerts.add(
            new StoredAlert(
                alert,
                rows.getString("acknowledged_by"),
                acknowledgedAt == null ? null : acknowledgedAt.toInstant()));
      }
    }
    return alerts;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T read(String text, Argument<T> type) {
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
