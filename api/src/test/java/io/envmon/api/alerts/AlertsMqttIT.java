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

  private static List<Received> of(String alertId) {
    return received.stream().filter(r -> alertId.equals(r.alert().get("id"))).toList();
  }
}
