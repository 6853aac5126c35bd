package io.envmon.api.registry;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The registry's version (table {@code registry_version}): raised in the transaction of every
 * change of a point or a city, whichever API replica makes it. The row lock orders the changes by
 * commit, so whoever read version v has seen every change up to v.
 */
@Singleton
public class RegistryVersion {

  private final TransactionOperations<Connection> transactions;

  public RegistryVersion(TransactionOperations<Connection> transactions) {
    this.transactions = transactions;
  }

  /** The version now (a read-only transaction of its own). */
  public long current() {
    return transactions.executeRead(
        status -> {
          try (PreparedStatement select =
                  status.getConnection().prepareStatement("SELECT version FROM registry_version");
              ResultSet result = select.executeQuery()) {
            result.next();
            return result.getLong(1);
          }
        });
  }

  /** Raises the version in the caller's transaction (joins it). */
  public void raise() {
    transactions.executeWrite(
        status -> {
          try (PreparedStatement update =
              status
                  .getConnection()
                  .prepareStatement("UPDATE registry_version SET version = version + 1")) {
            update.executeUpdate();
          }
          return null;
        });
  }
}
