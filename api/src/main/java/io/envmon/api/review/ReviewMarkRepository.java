package io.envmon.api.review;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReviewMarkRepository extends CrudRepository<ReviewMarkRow, Long> {
  List<ReviewMarkRow> findAllOrderById();

  List<ReviewMarkRow> findByPointIdOrderById(String pointId);
}
