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
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Alerts published to the run's real Mosquitto, seen by a subscriber of a city's topic. */
@WithRealInfrastructure
class AlertsMqttIT {

  static ApiTestServer api;
  static AlertProducer producer;
  static MqttClient subscriber;
  static JsonMapper json;
  static final List<Received> received = new CopyOnWriteArrayList<>();

  /** From stored to received: the notice's way, far below the test server's 60 s poll. */
  static final Duration PROMPTLY = Duration.ofSeconds(3);

  record Received(String topic, int qos, Map<String, Object> alert) {}

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    producer = new AlertProducer(api);
    json = api.server.getApplicationContext().getBean(JsonMapper.class);
    subscriber =
        new MqttClient(
            infrastructure.mqttUrl(), "alerts-it-" + UUID.randomUUID(), new MemoryPersistence());
    subscriber.connect(new MqttConnectionOptions());
    // the array form: MqttClient.subscribe(String, int, listener) recurses in Paho 1.2.5
    subscriber.subscribe(
        new MqttSubscription[] {new MqttSubscription("envmon/v1/+/alerts", 1)},
        new IMqttMessageListener[] {
          (topic, message) ->
              received.add(
                  new Received(
                      topic, message.getQos(), json.readValue(message.getPayload(), Map.class)))
        });
  }

  @AfterAll
  static void stop() throws Exception {
    subscriber.disconnect();
    subscriber.close();
    producer.close();
  }

  @Test
  @DisplayName(
      "each alert goes to envmon/v1/{receiving city}/alerts at QoS 1 as the alert JSON, JOINT to"
          + " the receiving city, and its acknowledgement follows")
  void alertsArePublishedPerReceivingCity() throws Exception {
    Alert own =
        AlertProducer.alert(AlertType.AIR_QUALITY, "jiashan-air-01", "jiashan", PointKind.AIR);
    Alert joint =
        AlertProducer.joint(
            "jiashan-water-taipu-01", "jiashan", "wujiang-water-taipu-02", "wujiang");
    producer.produce(own);
    producer.produce(joint);

    await().atMost(Duration.ofSeconds(30)).until(() -> of(joint.alertId()).size() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> of(own.alertId()).size() == 1);
    Received ownMessage = of(own.alertId()).get(0);
    assertThat(ownMessage.topic()).isEqualTo("envmon/v1/jiashan/alerts");
    assertThat(ownMessage.qos()).isEqualTo(1);
    assertThat(ownMessage.alert())
        .containsEntry("state", "RAISED")
        .containsEntry("pointId", "jiashan-air-01")
        .containsEntry("cityId", "jiashan")
        .containsEntry("type", "AIR_QUALITY");
    Received jointMessage = of(joint.alertId()).get(0);
    assertThat(jointMessage.topic()).isEqualTo("envmon/v1/jiashan/alerts");
    assertThat(jointMessage.alert())
        .containsEntry("originCityId", "wujiang")
        .containsEntry("path", List.of("wujiang-water-taipu-02", "jiashan-water-taipu-01"));

    api.http()
        .exchange(
            HttpRequest.POST("/api/v1/alerts/" + own.alertId() + "/ack", Map.of())
                .bearerAuth(api.tokenOf("jiashan-bureau")));
    await().atMost(Duration.ofSeconds(30)).until(() -> of(own.alertId()).size() == 2);
    assertThat(of(own.alertId()).get(1).alert()).containsEntry("acknowledgedBy", "jiashan-bureau");
  }

  @Test
  @DisplayName(
      "an alert and its acknowledgement are on MQTT within seconds of being stored, not at the"
          + " publisher's next poll (60 s in the tests): PostgreSQL's notice wakes it")
  void publishedAsSoonAsStored() throws Exception {
    // A point and type no other test raises: the server is shared, and a NOISE_LIMIT left active
    // on jiashan-noise-01 made OneActiveAlertIT's older episodes superseded.
    Alert alert =
        AlertProducer.alert(
            AlertType.DEVICE_OFFLINE, "jiashan-noise-01", "jiashan", PointKind.NOISE);
    String token = api.tokenOf("jiashan-bureau");
    producer.produce(alert);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                api.http()
                        .exchange(
                            HttpRequest.GET("/api/v1/alerts/" + alert.alertId()).bearerAuth(token))
                        .code()
                    == 200);
    await().atMost(PROMPTLY).until(() -> !of(alert.alertId()).isEmpty());

    api.http()
        .exchange(
            HttpRequest.POST("/api/v1/alerts/" + alert.alertId() + "/ack", Map.of())
                .bearerAuth(token));
    await()
        .atMost(PROMPTLY)
        .until(
            () ->
                of(alert.alertId()).stream()
                    .anyMatch(r -> "jiashan-bureau".equals(r.alert().get("acknowledgedBy"))));
    // after the broker's PUBACK the cursor in PostgreSQL moves past the alert's last event
    await().atMost(PROMPTLY).until(() -> cursorIsPastEventsOf(alert.alertId()));
  }

  private static boolean cursorIsPastEventsOf(String alertId) throws Exception {
    try (Connection connection = api.database();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT last_event_id >= (SELECT max(id) FROM alert_event WHERE alert_id = ?)"
                    + " FROM alert_publication_cursor WHERE channel = 'mqtt'")) {
      select.setString(1, alertId);
      try (ResultSet result = select.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  private static List<Received> of(String alertId) {
    return received.stream().filter(r -> alertId.equals(r.alert().get("id"))).toList();
  }
}
