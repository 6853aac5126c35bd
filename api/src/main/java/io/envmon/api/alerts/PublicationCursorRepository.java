package io.envmon.api.alerts;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/**
 * The {@code alert_publication_cursor} table (V3): how far a publisher of alert events (a channel,
 * e.g. {@code mqtt}) has got in {@code alert_event}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PublicationCursorRepository
    extends GenericRepository<PublicationCursorRepository.Row, String> {

  @MappedEntity("alert_publication_cursor")
  record Row(@Id String channel, long lastEventId) {}

  /** Puts the channel's cursor at the newest event unless it has one (a first start). */
  @Query(
      "INSERT INTO alert_publication_cursor (channel, last_event_id)"
          + " SELECT :channel, coalesce(max(id), 0) FROM alert_event"
          + " ON CONFLICT (channel) DO NOTHING")
  void startAtNewestUnlessPresent(String channel);

  /** The id of the last event the channel published. */
  @Query("SELECT last_event_id FROM alert_publication_cursor WHERE channel = :channel")
  long lastEventId(String channel);

  /** Moves the channel's cursor to the last event it published. */
  @Query(
      "UPDATE alert_publication_cursor SET last_event_id = :lastEventId WHERE channel = :channel")
  void moveTo(String channel, long lastEventId);
}
