package io.envmon.gateway.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A station publishes SenML over the real Mosquitto; the gateway forwards to the real Kafka. */
@WithRealInfrastructure
class MqttIngestIT {

  @TempDir Path spoolDir;

  @Test
  @DisplayName("a SenML pack published with QoS 1 arrives in Kafka as an AcceptedReading")
  void publishedReadingArrivesInKafka(Infrastructure infrastructure) throws Exception {
    var config = RunningGateway.config(infrastructure, spoolDir, Map.of());
    String pointId = "wujiang-air-01";
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure, config, List.of(TestPoints.air(pointId, config.cityId())));
        Station station = new Station(infrastructure)) {
      long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
      station.publish(
          "envmon/v1/" + running.cityId + "/" + pointId + "/up",
          "[{\"bn\":\""
              + pointId
              + ":\",\"bt\":"
              + bt
              + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":35.2},{\"n\":\"pm10\",\"v\":80}]");

      AcceptedReading forwarded =
          running.awaitForwarded(r -> r.reading().pointId().equals(pointId));

      assertThat(forwarded.cityId()).isEqualTo(running.cityId);
      assertThat(forwarded.gatewayId()).isEqualTo(config.gatewayId());
      assertThat(forwarded.gatewaySequence()).isEqualTo(1);
      assertThat(forwarded.reading().observedAt()).isEqualTo(Instant.ofEpochSecond(bt));
      assertThat(forwarded.reading().measurements())
          .containsExactly(
              Measurement.valid(Parameter.PM25, 35.2), Measurement.valid(Parameter.PM10, 80));
      await().atMost(Duration.ofSeconds(10)).until(() -> running.gateway.spool().depth() == 0);
    }
  }

  @Test
  @DisplayName(
      "a pack with an impossible value gets the reason on .../rejected and its good record lands")
  void badRecordIsRejectedWithReasonAndGoodRecordKept(Infrastructure infrastructure)
      throws Exception {
    var config = RunningGateway.config(infrastructure, spoolDir, Map.of());
    String pointId = "wujiang-air-02";
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure, config, List.of(TestPoints.air(pointId, config.cityId())));
        Station station = new Station(infrastructure)) {
      String base = "envmon/v1/" + running.cityId + "/" + pointId;
      BlockingQueue<MqttMessage> rejected = station.listen(base + "/rejected");
      long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
      station.publish(
          base + "/up",
          "[{\"bn\":\""
              + pointId
              + ":\",\"bt\":"
              + bt
              + ",\"n\":\"pm25\",\"v\":-4},{\"n\":\"no2\",\"v\":41}]");

      MqttMessage answer =
          await().atMost(Duration.ofSeconds(20)).until(rejected::poll, m -> m != null);
      assertThat(new String(answer.getPayload(), UTF_8))
          .isEqualTo(
              "{\"pointId\":\""
                  + pointId
                  + "\",\"accepted\":1,\"refused\":[{\"reason\":\"impossible_value\","
                  + "\"location\":\"pm25\",\"detail\":\"value -4.0 ug/m3 is outside 0 or more\"}]}");
      AcceptedReading forwarded =
          running.awaitForwarded(r -> r.reading().pointId().equals(pointId));
      assertThat(forwarded.reading().measurements())
          .containsExactly(Measurement.valid(Parameter.NO2, 41));
      assertThat(running.gateway.intake().refusals().count(RefusalReason.IMPOSSIBLE_VALUE))
          .isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "a flooding device's readings past its limit are answered throttled on .../rejected and"
          + " dropped, while another device's reading lands")
  void aFloodingDeviceIsThrottledAndAnsweredWhileAnotherLands(Infrastructure infrastructure)
      throws Exception {
    String flooder = "wujiang-air-05";
    String calm = "wujiang-air-06";
    Path devices = spoolDir.resolve("devices.properties");
    java.nio.file.Files.writeString(
        devices,
        "device.flooder.points="
            + flooder
            + "\ndevice.flooder.mqtt.password=f\ndevice.flooder.interval=PT1H\n"
            + "device.calm.points="
            + calm
            + "\ndevice.calm.mqtt.password=c\n");
    var config =
        RunningGateway.config(
            infrastructure,
            spoolDir.resolve("spool"),
            Map.of(
                "credentials.file",
                devices.toString(),
                "limit.rate.factor",
                "1",
                "limit.burst.readings",
                "2"));
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure,
                config,
                List.of(
                    TestPoints.air(flooder, config.cityId()),
                    TestPoints.air(calm, config.cityId())));
        Station station = new Station(infrastructure)) {
      String base = "envmon/v1/" + running.cityId + "/";
      BlockingQueue<MqttMessage> rejected = station.listen(base + flooder + "/rejected");
      long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
      for (int i = 0; i < 3; i++) {
        station.publish(
            base + flooder + "/up",
            "[{\"bn\":\""
                + flooder
                + ":\",\"bt\":"
                + (bt - i)
                + ",\"n\":\"pm25\",\"v\":"
                + i
                + "}]");
      }
      station.publish(
          base + calm + "/up",
          "[{\"bn\":\"" + calm + ":\",\"bt\":" + bt + ",\"n\":\"pm25\",\"v\":9}]");

      MqttMessage answer =
          await().atMost(Duration.ofSeconds(20)).until(rejected::poll, m -> m != null);
      assertThat(new String(answer.getPayload(), UTF_8))
          .contains("\"accepted\":0")
          .contains("\"reason\":\"throttled\"")
          .contains("device flooder sends more than 1 × its interval PT1H allows");
      running.awaitForwarded(r -> r.reading().pointId().equals(calm));
      assertThat(running.gateway.intake().limiter().throttledByDevice())
          .isEqualTo(Map.of("flooder", 1L));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> running.gateway.spool().nextSequence() == 4); // 2 + 1 spooled
    }
  }

  @Test
  @DisplayName("a message for a point the registry does not know is answered unknown_point")
  void unknownPointIsRejected(Infrastructure infrastructure) throws Exception {
    var config = RunningGateway.config(infrastructure, spoolDir, Map.of());
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure, config, List.of(TestPoints.air("known-01", config.cityId())));
        Station station = new Station(infrastructure)) {
      String base = "envmon/v1/" + running.cityId + "/stranger-01";
      BlockingQueue<MqttMessage> rejected = station.listen(base + "/rejected");
      station.publish(
          base + "/up", "[{\"bn\":\"stranger-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":3}]");

      MqttMessage answer =
          await().atMost(Duration.ofSeconds(20)).until(rejected::poll, m -> m != null);
      assertThat(new String(answer.getPayload(), UTF_8))
          .contains("\"accepted\":0")
          .contains("\"reason\":\"unknown_point\"");
      assertThat(running.gateway.spool().nextSequence()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("readings published while the gateway is down wait in its broker session")
  void readingsWaitInTheBrokerWhileTheGatewayRestarts(Infrastructure infrastructure)
      throws Exception {
    var config = RunningGateway.config(infrastructure, spoolDir, Map.of());
    String pointId = "wujiang-air-03";
    long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond() - 600;
    try (Station station = new Station(infrastructure)) {
      try (RunningGateway first =
          RunningGateway.start(
              infrastructure, config, List.of(TestPoints.air(pointId, config.cityId())))) {
        // subscribed with a persistent session; now it stops
      }
      for (int i = 0; i < 3; i++) {
        station.publish(
            "envmon/v1/" + config.cityId() + "/" + pointId + "/up",
            "[{\"bn\":\""
                + pointId
                + ":\",\"bt\":"
                + (bt + i)
                + ",\"n\":\"pm25\",\"v\":"
                + i
                + "}]");
      }
      try (RunningGateway second = RunningGateway.start(infrastructure, config, List.of())) {
        for (int i = 0; i < 3; i++) {
          Instant at = Instant.ofEpochSecond(bt + i);
          second.awaitForwarded(r -> r.reading().observedAt().equals(at));
        }
      }
    }
  }

  @Test
  @DisplayName(
      "a payload that is not SenML is answered malformed and kept on the dead-letter topic")
  void undecodablePayloadGoesToTheDeadLetterTopic(Infrastructure infrastructure) throws Exception {
    var config = RunningGateway.config(infrastructure, spoolDir, Map.of());
    String pointId = "wujiang-air-04";
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure, config, List.of(TestPoints.air(pointId, config.cityId())));
        Station station = new Station(infrastructure);
        KafkaConsumer<String, String> deadLetters =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    infrastructure.kafkaBootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class))) {
      String base = "envmon/v1/" + running.cityId + "/" + pointId;
      BlockingQueue<MqttMessage> rejected = station.listen(base + "/rejected");
      station.publish(base + "/up", "pm25=35");

      MqttMessage answer =
          await().atMost(Duration.ofSeconds(20)).until(rejected::poll, m -> m != null);
      assertThat(new String(answer.getPayload(), UTF_8)).contains("\"reason\":\"malformed\"");

      deadLetters.subscribe(List.of(config.deadLetterTopic()));
      List<ConsumerRecord<String, String>> letters = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
              });
      assertThat(letters.get(0).key()).isEqualTo(pointId);
      assertThat(letters.get(0).value())
          .contains("\"source\":\"MQTT\"")
          .contains(
              "\"payloadBase64\":\""
                  + Base64.getEncoder().encodeToString("pm25=35".getBytes(UTF_8))
                  + "\"");
    }
  }

  /** A station's MQTT 5 client: publishes with QoS 1 (returns after PUBACK) and listens. */
  private static final class Station implements AutoCloseable, MqttCallback {
    private final MqttClient client;
    private final Map<String, BlockingQueue<MqttMessage>> inboxes =
        new java.util.concurrent.ConcurrentHashMap<>();

    Station(Infrastructure infrastructure) throws MqttException {
      client =
          new MqttClient(
              infrastructure.mqttUrl(), "station-" + UUID.randomUUID(), new MemoryPersistence());
      client.setCallback(this);
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setConnectionTimeout(10);
      client.connect(options);
    }

    void publish(String topic, String payload) throws MqttException {
      client.publish(topic, payload.getBytes(UTF_8), 1, false);
    }

    BlockingQueue<MqttMessage> listen(String topic) throws MqttException {
      BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
      inboxes.put(topic, inbox);
      client.subscribe(topic, 1);
      return inbox;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      BlockingQueue<MqttMessage> inbox = inboxes.get(topic);
      if (inbox != null) {
        inbox.add(message);
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }
}
