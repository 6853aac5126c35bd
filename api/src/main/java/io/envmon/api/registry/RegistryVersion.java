package io.envmon.api.registry;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

/**
 * The registry's version (table {@code registry_version}, V5): raised in the transaction of every
 * change of a point or a city, whichever API replica makes it. The row lock orders the changes by
 * commit, so whoever read version v has seen every change up to v.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RegistryVersion extends GenericRepository<RegistryVersion.Row, Integer> {

  /** The table's one row. */
  @MappedEntity("registry_version")
  record Row(@Id int id, long version) {}

  /** The version now. */
  @Query("SELECT version FROM registry_version")
  long current();

  /** Raises the version in the caller's transaction (joins it; one of its own without one). */
  @Query("UPDATE registry_version SET version = version + 1")
  void raise();
}
