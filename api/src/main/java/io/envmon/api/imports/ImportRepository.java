package io.envmon.api.imports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ImportRepository extends CrudRepository<ImportRow, String> {

  List<ImportRow> findByCityIdOrderByCreatedAtDesc(String cityId);

  List<ImportRow> findAllOrderByCreatedAtDesc();

  List<ImportRow> findByReplicaAndStatusInList(String replica, List<String> status);

  List<ImportRow> findByStatusInList(List<String> status);

  @Query("UPDATE import_job SET status = :status, started_at = :startedAt WHERE id = :id")
  void markStarted(String id, String status, Instant startedAt);

  @Query(
      "UPDATE import_job SET bytes_read = :bytesRead, rows_read = :rowsRead, accepted = :accepted,"
          + " refused = :refused, values_refused = :valuesRefused, hours_only = :hoursOnly,"
          + " first_observed = :firstObserved, last_observed = :lastObserved WHERE id = :id")
  void progress(
      String id,
      long bytesRead,
      long rowsRead,
      long accepted,
      long refused,
      long valuesRefused,
      long hoursOnly,
      @Nullable Instant firstObserved,
      @Nullable Instant lastObserved);

  @Query(
      "UPDATE import_job SET status = :status, error = :error, finished_at = :finishedAt"
          + " WHERE id = :id")
  void finish(String id, String status, @Nullable String error, Instant finishedAt);
}
