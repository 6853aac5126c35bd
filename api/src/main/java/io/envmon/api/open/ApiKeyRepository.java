package io.envmon.api.open;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiKeyRepository extends CrudRepository<ApiKeyRow, Long> {
  List<ApiKeyRow> findAllOrderById();
}
