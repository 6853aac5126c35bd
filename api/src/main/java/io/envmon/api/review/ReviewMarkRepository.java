package io.envmon.api.review;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReviewMarkRepository extends CrudRepository<ReviewMarkRow, Long> {
  List<ReviewMarkRow> findAllOrderById();

  List<ReviewMarkRow> findByPointIdOrderById(String pointId);

  /** A point's marks overlapping [from, to) (either open when null), in order, a page of them. */
  @Query(
      value =
          "SELECT * FROM review_mark WHERE point_id = :pointId"
              + " AND (CAST(:from AS timestamptz) IS NULL OR to_time > :from)"
              + " AND (CAST(:to AS timestamptz) IS NULL OR from_time < :to)"
              + " ORDER BY id LIMIT :limit OFFSET :offset",
      nativeQuery = true)
  List<ReviewMarkRow> findOverlapping(
      String pointId, @Nullable Instant from, @Nullable Instant to, int limit, long offset);
}
