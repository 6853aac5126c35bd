package io.envmon.api.imports;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ImportRefusalRepository extends CrudRepository<ImportRefusalRow, Long> {
  List<ImportRefusalRow> findByImportIdOrderById(String importId);

  void deleteByImportId(String importId);

  /** The first {@code limit} refusals of an import, read from PostgreSQL without the rest. */
  @Query("SELECT * FROM import_refusal WHERE import_id = :importId ORDER BY id LIMIT :limit")
  List<ImportRefusalRow> findFirst(String importId, int limit);
}
