package io.envmon.api.imports;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ImportRefusalRepository extends CrudRepository<ImportRefusalRow, Long> {
  List<ImportRefusalRow> findByImportIdOrderById(String importId);
}
