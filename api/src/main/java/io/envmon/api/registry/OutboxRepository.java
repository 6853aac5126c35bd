package io.envmon.api.registry;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRepository extends CrudRepository<OutboxRow, Long> {

  /** The oldest unsent rows, locked so that several API replicas never send one row twice. */
  @Query(
      "SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED")
  List<OutboxRow> lockUnsent(int limit);

  /** The newest row of each key of a topic (what its compacted topic holds once relayed). */
  @Query(
      "SELECT DISTINCT ON (message_key) * FROM outbox WHERE topic = :topic"
          + " ORDER BY message_key, id DESC")
  List<OutboxRow> findLatestPerKey(String topic);

  /** The newest row of each key of a topic written at or before {@code at}: the registry then. */
  @Query(
      "SELECT DISTINCT ON (message_key) * FROM outbox WHERE topic = :topic AND created_at <= :at"
          + " ORDER BY message_key, id DESC")
  List<OutboxRow> findLatestPerKeyAt(String topic, Instant at);

  /** Every row of a topic, in the order written. */
  List<OutboxRow> findByTopicOrderById(String topic);

  void updateSentAt(@Id Long id, Instant sentAt);

  long countBySentAtIsNull();
}
