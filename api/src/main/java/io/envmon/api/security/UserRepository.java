package io.envmon.api.security;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends CrudRepository<UserRow, String> {
  List<UserRow> findAllOrderByUsername();

  List<UserRow> findByCityIdOrderByUsername(String cityId);
}
