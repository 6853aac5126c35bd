package io.envmon.api.open;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiKeyRepository extends CrudRepository<ApiKeyRow, Long> {
  /** The keys by id, a page of them. */
  @Query(
      value = "SELECT * FROM api_key ORDER BY id LIMIT :limit OFFSET :offset",
      nativeQuery = true)
  List<ApiKeyRow> findPage(int limit, long offset);
}
