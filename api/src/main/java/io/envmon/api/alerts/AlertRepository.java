package io.envmon.api.alerts;

import io.envmon.domain.alert.AlertType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@code alert} and {@code alert_event} tables (V2, V3, V4, V6). The writes are {@link
 * AlertStore}'s, in its transaction and its order of locks; the advisory locks are PostgreSQL's
 * functions, so their queries count the locks taken.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AlertRepository extends GenericRepository<AlertRow, String> {

  Optional<AlertRow> findById(String id);

  /** The episode's row, locked until commit. */
  @Query("SELECT * FROM alert WHERE id = :id FOR UPDATE")
  Optional<AlertRow> lockById(String id);

  /** The active alert of a point and type (and city, and origin) under another id, locked. */
  @Query(
      "SELECT * FROM alert WHERE point_id = :pointId AND type = :type AND city_id = :cityId"
          + " AND coalesce(origin_point, '') = :originPoint AND state <> 'CLEARED'"
          + " AND id <> :id FOR UPDATE")
  Optional<AlertRow> lockActiveRival(
      String pointId, AlertType type, String cityId, String originPoint, String id);

  /**
   * Inserts the row, or updates its change unless it holds a later one or was superseded (the
   * acknowledgement is never touched).
   */
  @Query(
      "INSERT INTO alert (id, type, state, severity, point_id, city_id, kind, values_json,"
          + " threshold, message, started_at, updated_at, origin_city, origin_point, path,"
          + " message_zh, detected_at, delayed, superseded_by)"
          + " VALUES (:id, :type, :state, :severity, :pointId, :cityId, :kind, :valuesJson,"
          + " :threshold, :message, :startedAt, :updatedAt, :originCity, :originPoint, :path,"
          + " :messageZh, :detectedAt, :delayed, :supersededBy)"
          + " ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state,"
          + " severity = EXCLUDED.severity, values_json = EXCLUDED.values_json,"
          + " message = EXCLUDED.message, message_zh = EXCLUDED.message_zh,"
          + " updated_at = EXCLUDED.updated_at, detected_at = EXCLUDED.detected_at,"
          + " delayed = EXCLUDED.delayed, superseded_by = EXCLUDED.superseded_by"
          + " WHERE alert.updated_at <= EXCLUDED.updated_at AND alert.superseded_by IS NULL")
  void upsert(AlertRow row);

  /** Records the acknowledgement unless there is one; 1 when this call recorded it. */
  @Query(
      "UPDATE alert SET acknowledged_by = :username, acknowledged_at = :at"
          + " WHERE id = :id AND acknowledged_by IS NULL")
  long acknowledge(String id, String username, Instant at);

  /**
   * A page of the alerts in {@code states}, of {@code cityId} and {@code type} when given, and of
   * those of {@code viewerCity} or {@code viewerPoints} unless {@code everything}; newest first.
   */
  @Query(
      "SELECT * FROM alert WHERE state IN (:states)"
          + " AND (CAST(:cityId AS text) IS NULL OR city_id = :cityId)"
          + " AND (CAST(:type AS text) IS NULL OR type = :type)"
          + " AND (:everything OR city_id = :viewerCity OR point_id IN (:viewerPoints))"
          + " ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset")
  List<AlertRow> findPage(
      Collection<String> states,
      @Nullable String cityId,
      @Nullable String type,
      boolean everything,
      @Nullable String viewerCity,
      Collection<String> viewerPoints,
      int limit,
      long offset);

  /**
   * Takes the transaction's advisory locks {@code (space, hashtext(key))} of the keys, in the order
   * of their lock ids, in one statement.
   */
  @Query(
      "SELECT count(pg_advisory_xact_lock(:space, h)) FROM (SELECT DISTINCT hashtext(k) AS h"
          + " FROM unnest(ARRAY[:keys]) AS k ORDER BY h) AS ordered")
  long lockKeys(int space, Collection<String> keys);

  /** Takes the transaction's advisory lock {@code lock}. */
  @Query("SELECT count(pg_advisory_xact_lock(:lock))")
  long lock(long lock);

  /** Notifies the channel's listeners when the transaction commits. */
  @Query("SELECT count(pg_notify(:channel, ''))")
  long notifyAtCommit(String channel);

  /** Appends an event unless this very change (alert, state, time) is there; its id, or null. */
  @Query(
      "INSERT INTO alert_event (alert_id, state, at, payload, acknowledged_by)"
          + " VALUES (:alertId, :state, :at, :payload, :acknowledgedBy)"
          + " ON CONFLICT (alert_id, state, at) DO NOTHING RETURNING id")
  @Nullable
  Long appendEvent(
      String alertId, String state, Instant at, String payload, @Nullable String acknowledgedBy);

  /** Up to {@code limit} events after the given id, in id order. */
  @Query(
      "SELECT id, state, at, payload, acknowledged_by FROM alert_event WHERE id > :afterId"
          + " ORDER BY id LIMIT :limit")
  List<AlertEventRow> eventsAfter(long afterId, int limit);

  /** The id of the newest event, 0 when there is none. */
  @Query("SELECT coalesce(max(id), 0) FROM alert_event")
  long lastEventId();
}
