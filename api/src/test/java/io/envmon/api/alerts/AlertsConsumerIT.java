package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.AlertProducer;
import io.envmon.api.ApiTestServer;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The alerts listener's error strategy against the run's PostgreSQL: a poll that cannot be stored
 * is not skipped but retried until it can be (docs/api.md "Consuming Kafka").
 */
@WithRealInfrastructure
class AlertsConsumerIT {

  // Points of this test only (an alert needs no registered point): no other test's episodes meet
  // these in the one-active-alert rule.
  private static final String REFUSED_POINT = "jiashan-consumer-it-refused";

  static ApiTestServer api;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
  }

  @Test
  @DisplayName(
      "an alert PostgreSQL refuses is retried, the poll's others with it, until it is stored once")
  void refusedAlertIsRetriedUntilStored() throws Exception {
    // PostgreSQL refuses every row of one point, counting the refusals in a sequence (which a
    // rolled-back transaction does not undo).
    sql(
        """
        CREATE SEQUENCE refusals;
        CREATE FUNCTION refuse_point() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM nextval('refusals');
          RAISE EXCEPTION 'refused for the test';
        END $$;
        CREATE TRIGGER refuse_point BEFORE INSERT ON alert FOR EACH ROW
          WHEN (NEW.point_id = '%s') EXECUTE FUNCTION refuse_point();
        """
            .formatted(REFUSED_POINT));
    Alert refused =
        AlertProducer.alert(AlertType.NOISE_LIMIT, REFUSED_POINT, "jiashan", PointKind.NOISE);
    Alert other =
        AlertProducer.alert(
            AlertType.DEVICE_OFFLINE, "jiashan-consumer-it-other", "jiashan", PointKind.WATER);
    try (AlertProducer producer = new AlertProducer(api)) {
      producer.produce(other);
      producer.produce(refused);
      // The poll, its records one by one (the other stored, the refused one named), then the poll
      // again after the error strategy's pause.
      await().atMost(Duration.ofSeconds(30)).until(() -> refusals() >= 3);
      assertThat(stored(other)).isTrue();
      assertThat(stored(refused)).isFalse();
    } finally {
      sql("DROP TRIGGER refuse_point ON alert; DROP FUNCTION refuse_point(); ");
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> stored(refused));
    assertThat(
            count("SELECT count(*) FROM alert_event WHERE alert_id = '" + refused.alertId() + "'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM alert_event WHERE alert_id = '" + other.alertId() + "'"))
        .isEqualTo(1);
    sql("DROP SEQUENCE refusals");
  }

  private static boolean stored(Alert alert) throws Exception {
    return count("SELECT count(*) FROM alert WHERE id = '" + alert.alertId() + "'") == 1;
  }

  private static long refusals() throws Exception {
    return count("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM refusals");
  }

  private static long count(String query) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void sql(String statements) throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(statements);
    }
  }

  private static Connection connect() throws Exception {
    return api.database();
  }
}
