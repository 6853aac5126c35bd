package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * V6 on a database that already breaks "one active alert per point and type" (written before the
 * rule): it closes all but the episode that started last, with CLEARED events and webhook
 * deliveries, and the unique index then refuses a second active alert.
 */
@WithRealInfrastructure
class AlertMigrationIT {

  private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");

  @Test
  @DisplayName(
      "V6 closes the older duplicates of a live database (events, webhook deliveries), then the"
          + " database refuses a second active alert of a point and type")
  void migrationClosesOlderDuplicatesThenCreatesTheIndex(Infrastructure infrastructure)
      throws Exception {
    String schema =
        "envmon_api_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Flyway upToV5 =
        Flyway.configure()
            .dataSource(
                infrastructure.postgresJdbcUrl(),
                infrastructure.postgresUser(),
                infrastructure.postgresPassword())
            .schemas(schema)
            .locations("classpath:db/migration")
            .target("5")
            .load();
    upToV5.migrate();

    try (Connection db = connect(infrastructure, schema)) {
      execute(
          db,
          "INSERT INTO cluster (id, name) VALUES ('c', 'C')",
          "INSERT INTO city (id, cluster_id, name, time_zone) VALUES ('qingpu', 'c', '青浦',"
              + " 'Asia/Shanghai')",
          "INSERT INTO webhook (city_id, url, secret, created_at, created_by) VALUES ('qingpu',"
              + " 'http://127.0.0.1:9/hook', 'a-secret-of-sixteen', now(), 'test')");
      // three episodes of one point and type still active (a restarted job raised them again)
      insert(db, "air-1", "AIR_QUALITY", "RAISED", "qingpu-air-01", null, T0, T0.plusSeconds(60));
      insert(
          db,
          "air-2",
          "AIR_QUALITY",
          "ESCALATED",
          "qingpu-air-01",
          null,
          T0.plusSeconds(600),
          T0.plusSeconds(4000));
      insert(
          db,
          "air-3",
          "AIR_QUALITY",
          "RAISED",
          "qingpu-air-01",
          null,
          T0.plusSeconds(3600),
          T0.plusSeconds(3600));
      insert(
          db,
          "air-0",
          "AIR_QUALITY",
          "CLEARED",
          "qingpu-air-01",
          null,
          T0.minusSeconds(9000),
          T0.minusSeconds(8000));
      // another type of the same point, and JOINT alerts of two origins: each its own
      insert(db, "noise-1", "DEVICE_OFFLINE", "RAISED", "qingpu-air-01", null, T0, T0);
      insert(
          db,
          "joint-a1",
          "JOINT",
          "RAISED",
          "qingpu-water-taipu-01",
          "wujiang-water-taipu-02",
          T0,
          T0);
      insert(
          db,
          "joint-a2",
          "JOINT",
          "RAISED",
          "qingpu-water-taipu-01",
          "wujiang-water-taipu-02",
          T0.plusSeconds(60),
          T0.plusSeconds(60));
      insert(
          db,
          "joint-b1",
          "JOINT",
          "RAISED",
          "qingpu-water-taipu-01",
          "wujiang-water-taipu-01",
          T0,
          T0);
    }

    Flyway.configure()
        .dataSource(
            infrastructure.postgresJdbcUrl(),
            infrastructure.postgresUser(),
            infrastructure.postgresPassword())
        .schemas(schema)
        .locations("classpath:db/migration")
        .load()
        .migrate();

    try (Connection db = connect(infrastructure, schema)) {
      assertThat(strings(db, "SELECT id FROM alert WHERE state <> 'CLEARED' ORDER BY id"))
          .containsExactly("air-3", "joint-a2", "joint-b1", "noise-1");
      assertThat(
              strings(
                  db,
                  "SELECT id || ' ' || superseded_by || ' ' || updated_at AT TIME ZONE 'UTC'"
                      + " FROM alert WHERE superseded_by IS NOT NULL ORDER BY id"))
          .containsExactly(
              "air-1 air-3 2026-11-30 03:00:00", // closed as of the winner's start
              "air-2 air-3 2026-11-30 03:06:40", // its own last change was later
              "joint-a1 joint-a2 2026-11-30 02:01:00");
      assertThat(strings(db, "SELECT message FROM alert WHERE id = 'air-1'"))
          .containsExactly(
              "superseded by alert air-3 of the same point and type (one active alert per point"
                  + " and type)");
      assertThat(strings(db, "SELECT delayed::text FROM alert WHERE id = 'air-3'"))
          .containsExactly("false");

      // each closing is an event, as AlertStore would write it, with a webhook delivery
      List<String> payloads =
          strings(db, "SELECT payload FROM alert_event WHERE state = 'CLEARED' ORDER BY id");
      assertThat(payloads).hasSize(3);
      Alert closed =
          AlertJson.decode(
              strings(db, "SELECT payload FROM alert_event WHERE alert_id = 'air-2'")
                  .get(0)
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(closed.state()).isEqualTo(AlertState.CLEARED);
      assertThat(closed.severity().name()).isEqualTo("MAJOR");
      assertThat(closed.values()).containsEntry("aqi", 230.0);
      assertThat(closed.startedAt()).isEqualTo(T0.plusSeconds(600));
      assertThat(closed.updatedAt()).isEqualTo(T0.plusSeconds(4000));
      assertThat(closed.messageZh()).contains("air-3");
      assertThat(closed.detectedAt()).isNotNull();
      Alert jointClosed =
          AlertJson.decode(
              strings(db, "SELECT payload FROM alert_event WHERE alert_id = 'joint-a1'")
                  .get(0)
                  .getBytes(StandardCharsets.UTF_8));
      assertThat(jointClosed.path())
          .containsExactly("wujiang-water-taipu-02", "qingpu-water-taipu-01");
      assertThat(jointClosed.originPointId()).isEqualTo("wujiang-water-taipu-02");

      assertThat(strings(db, "SELECT alert_id FROM webhook_delivery ORDER BY event_id"))
          .containsExactly("joint-a1", "air-1", "air-2"); // in the order of their times
      JsonMapper json = JsonMapper.createDefault();
      @SuppressWarnings("unchecked")
      Map<String, Object> body =
          json.readValue(
              strings(db, "SELECT body FROM webhook_delivery WHERE alert_id = 'air-1'").get(0),
              LinkedHashMap.class);
      assertThat(body)
          .containsEntry("id", "air-1")
          .containsEntry("state", "CLEARED")
          .containsEntry("delayed", false)
          .containsEntry("cityId", "qingpu")
          .containsKeys("detectedAt", "startedAt", "updatedAt", "values", "message")
          .doesNotContainKeys("path", "originPointId", "acknowledgedBy");

      // from now on the database keeps the rule itself
      assertThatThrownBy(
              () ->
                  insert(
                      db,
                      "air-4",
                      "AIR_QUALITY",
                      "RAISED",
                      "qingpu-air-01",
                      null,
                      T0.plusSeconds(7200),
                      T0.plusSeconds(7200)))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
      insert(
          db,
          "air-5",
          "AIR_QUALITY",
          "CLEARED",
          "qingpu-air-01",
          null,
          T0.plusSeconds(7200),
          T0.plusSeconds(7300));
    } finally {
      try (Connection db = connect(infrastructure, "public");
          Statement drop = db.createStatement()) {
        drop.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static void insert(
      Connection db,
      String id,
      String type,
      String state,
      String pointId,
      String originPoint,
      Instant startedAt,
      Instant updatedAt)
      throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO alert (id, type, state, severity, point_id, city_id, kind, values_json,"
                + " threshold, message, started_at, updated_at, origin_city, origin_point, path)"
                + " VALUES (?, ?, ?, 'MAJOR', ?, 'qingpu', ?, '{\"aqi\":230.0}', ?, ?, ?, ?, ?,"
                + " ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, type);
      insert.setString(3, state);
      insert.setString(4, pointId);
      insert.setString(5, pointId.contains("-water-") ? "WATER" : "AIR");
      if (originPoint == null) {
        insert.setDouble(6, 200.0);
      } else {
        insert.setNull(6, java.sql.Types.DOUBLE);
      }
      insert.setString(7, type + " at " + pointId);
      insert.setTimestamp(8, Timestamp.from(startedAt));
      insert.setTimestamp(9, Timestamp.from(updatedAt));
      insert.setString(10, originPoint == null ? null : "wujiang");
      insert.setString(11, originPoint);
      insert.setString(
          12, originPoint == null ? null : "[\"" + originPoint + "\",\"" + pointId + "\"]");
      insert.executeUpdate();
    }
  }

  private static Connection connect(Infrastructure infrastructure, String schema)
      throws SQLException {
    String url = infrastructure.postgresJdbcUrl();
    return DriverManager.getConnection(
        url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        infrastructure.postgresUser(),
        infrastructure.postgresPassword());
  }

  private static void execute(Connection db, String... statements) throws SQLException {
    try (Statement statement = db.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> strings(Connection db, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    return rows;
  }
}
