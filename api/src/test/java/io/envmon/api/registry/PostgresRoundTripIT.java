package io.envmon.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL stores a monitoring point the way the registry will. */
@WithRealInfrastructure
class PostgresRoundTripIT {

  @Test
  @DisplayName("a monitoring point inserted over JDBC is queried back unchanged")
  void insertedPointIsQueriedBack(Infrastructure infrastructure) throws SQLException {
    String table = "it_points_" + UUID.randomUUID().toString().replace("-", "");
    OffsetDateTime registeredAt =
        OffsetDateTime.of(2025, 11, 21, 8, 30, 15, 123_456_000, ZoneOffset.UTC);

    try (Connection connection =
        DriverManager.getConnection(
            infrastructure.postgresJdbcUrl(),
            infrastructure.postgresUser(),
            infrastructure.postgresPassword())) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "CREATE TABLE "
                + table
                + " (id text PRIMARY KEY, city_id text NOT NULL, kind text NOT NULL,"
                + " lat double precision NOT NULL, lon double precision NOT NULL,"
                + " registered_at timestamptz NOT NULL)");
      }
      try {
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?)")) {
          insert.setString(1, "wujiang-water-taipu-01");
          insert.setString(2, "wujiang");
          insert.setString(3, "WATER");
          insert.setDouble(4, 31.0123);
          insert.setDouble(5, 120.6456);
          insert.setObject(6, registeredAt);
          assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT city_id, kind, lat, lon, registered_at FROM " + table + " WHERE id = ?")) {
          select.setString(1, "wujiang-water-taipu-01");
          try (ResultSet row = select.executeQuery()) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("city_id")).isEqualTo("wujiang");
            assertThat(row.getString("kind")).isEqualTo("WATER");
            assertThat(row.getDouble("lat")).isEqualTo(31.0123);
            assertThat(row.getDouble("lon")).isEqualTo(120.6456);
            assertThat(row.getObject("registered_at", OffsetDateTime.class).toInstant())
                .isEqualTo(registeredAt.toInstant());
            assertThat(row.next()).isFalse();
          }
        }
      } finally {
        try (Statement ddl = connection.createStatement()) {
          ddl.execute("DROP TABLE " + table);
        }
      }
    }
  }
}
