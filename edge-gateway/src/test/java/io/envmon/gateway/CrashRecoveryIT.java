package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway process is killed with SIGKILL while a device sends readings; after a restart every
 * reading the device saw acknowledged (CoAP 2.04; MQTT: Mosquitto's PUBACK, the gateway's
 * persistent session and manual acks make the broker redeliver what it had not acknowledged) is in
 * Kafka. Duplicates are allowed and reported.
 */
@WithRealInfrastructure
class CrashRecoveryIT {

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  private static final String POINT = "crash-air-01";
  private static final int READINGS = 1000;
  private static final int KILL_AFTER = 300;

  @TempDir Path directory;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Process launch(Path configFile, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.envmon.gateway.GatewayMain",
            configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static boolean healthy(int healthPort, int points) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          && response.body().contains("\"registryPoints\":" + points);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  @DisplayName(
      "after kill -9 of the gateway process every reading acknowledged with 2.04 reaches Kafka")
  void everyAcknowledgedReadingSurvivesKillMinus9(Infrastructure infrastructure) throws Exception {
    int coapPort = freePort();
    int healthPort = freePort();
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool"),
            Map.of(
                "mqtt.url",
                "",
                "hj212.port",
                "-1",
                "coap.port",
                Integer.toString(coapPort),
                "health.port",
                Integer.toString(healthPort)));
    RunningGateway.prepareKafka(
        infrastructure, config, List.of(TestPoints.air(POINT, config.cityId())));
    Path configFile = directory.resolve("gateway.properties");
    Properties properties = new Properties();
    properties.setProperty("city.id", config.cityId());
    properties.setProperty("gateway.id", config.gatewayId());
    properties.setProperty("kafka.bootstrap", config.kafkaBootstrap());
    properties.setProperty("kafka.topic.readings", config.readingsTopic());
    properties.setProperty("kafka.topic.points", config.pointsTopic());
    properties.setProperty("spool.dir", config.spoolDirectory().toString());
    properties.setProperty("hj212.port", "-1");
    properties.setProperty("coap.port", Integer.toString(coapPort));
    properties.setProperty("health.port", Integer.toString(healthPort));
    // The test's client sends plain CoAP from this machine, as fast as it can: its device allows
    // plain CoAP from 127.0.0.1 and the rate limit is off.
    Path devices = directory.resolve("devices.properties");
    Files.writeString(
        devices,
        "device.crash-client.points="
            + POINT
            + "\ndevice.crash-client.coap.plain-from=127.0.0.1\n");
    properties.setProperty("credentials.file", devices.toString());
    properties.setProperty("limit.rate.factor", "0");
    try (Writer writer = Files.newBufferedWriter(configFile)) {
      properties.store(writer, "CrashRecoveryIT");
    }
    Path log = directory.resolve("gateway.log");

    Process gateway = launch(configFile, log);
    Set<String> acknowledged = new HashSet<>();
    String lastAnswer = "none";
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy(healthPort, 1));
      CoapClient client =
          new CoapClient("coap://127.0.0.1:" + coapPort + "/v1/points/" + POINT + "/readings");
      client.setTimeout(10_000L);
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(READINGS);
      for (int i = 0; i < READINGS; i++) {
        if (acknowledged.size() == KILL_AFTER && gateway.isAlive()) {
          gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
          gateway.waitFor();
        }
        Instant at = start.plusSeconds(i);
        Reading reading =
            new Reading(
                Reading.idFor(POINT, at),
                POINT,
                at,
                List.of(Measurement.valid(Parameter.PM25, i)),
                Source.COAP);
        CoapResponse response = null;
        try {
          response =
              client.post(
                  SenmlReadingEncoder.toJson(reading), MediaTypeRegistry.APPLICATION_SENML_JSON);
        } catch (Exception e) {
          lastAnswer = e.toString();
        }
        if (response != null && response.getCode() == ResponseCode.CHANGED) {
          acknowledged.add(reading.readingId());
        } else {
          lastAnswer =
              response == null
                  ? "no answer"
                  : response.getCode() + " " + response.getResponseText();
        }
        if (!gateway.isAlive()) {
          break;
        }
      }
      client.shutdown();
      assertThat(acknowledged)
          .as("last answer %s; gateway log:%n%s", lastAnswer, Files.readString(log))
          .hasSizeGreaterThanOrEqualTo(KILL_AFTER);

      gateway = launch(configFile, log);
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy(healthPort, 1));

      try (RunningGateway.ReadingsConsumer kafka =
          new RunningGateway.ReadingsConsumer(infrastructure, config.readingsTopic())) {
        Map<String, Integer> copies = new HashMap<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  for (AcceptedReading reading : kafka.poll()) {
                    copies.merge(reading.reading().readingId(), 1, Integer::sum);
                  }
                  return copies.keySet().containsAll(acknowledged);
                });
        long duplicates = copies.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "CrashRecoveryIT: %d acknowledged before kill -9, all in Kafka; %d readings twice%n",
            acknowledged.size(), duplicates);
      }
    } finally {
      gateway.destroy();
      gateway.waitFor();
    }
  }

  /**
   * Publishes; Paho 1.2.5 may complete a QoS 1 token before it lowers its in-flight count
   * (eclipse-paho/paho.mqtt.java#551), so the next publish can be refused "too many publishes in
   * progress" (32202) before it is sent: that one is tried again.
   */
  private static IMqttToken publishQos1(MqttAsyncClient client, String topic, MqttMessage message)
      throws MqttException {
    while (true) {
      try {
        return client.publish(topic, message);
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }

  private static final String MQTT_POINT = "crash-air-02";
  private static final int MQTT_READINGS = 10_000;
  private static final long MQTT_KILL_AFTER_ACCEPTED = 2_500;

  /**
   * {@code envmon_gateway_accepted_total} of the gateway's /metrics; -1 when it does not answer.
   */
  private static long acceptedSoFar(int healthPort) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response
          .body()
          .lines()
          .filter(line -> line.startsWith("envmon_gateway_accepted_total "))
          .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return -1;
    }
  }

  @Test
  @DisplayName(
      "kill -9 of the gateway while a device publishes 10,000 MQTT QoS 1 readings (5,000 before"
          + " the kill, 5,000 after): after a restart every reading Mosquitto PUBACKed is in"
          + " Kafka")
  void everyPubackedMqttReadingSurvivesKillMinus9(Infrastructure infrastructure) throws Exception {
    int healthPort = freePort();
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool"),
            Map.of("hj212.port", "-1", "coap.port", "-1"));
    RunningGateway.prepareKafka(
        infrastructure, config, List.of(TestPoints.air(MQTT_POINT, config.cityId())));
    Path configFile = directory.resolve("gateway.properties");
    Properties properties = new Properties();
    properties.setProperty("city.id", config.cityId());
    properties.setProperty("gateway.id", config.gatewayId());
    properties.setProperty("mqtt.url", infrastructure.mqttUrl());
    properties.setProperty("kafka.bootstrap", config.kafkaBootstrap());
    properties.setProperty("kafka.topic.readings", config.readingsTopic());
    properties.setProperty("kafka.topic.points", config.pointsTopic());
    properties.setProperty("kafka.topic.deadletter", config.deadLetterTopic());
    properties.setProperty("spool.dir", config.spoolDirectory().toString());
    properties.setProperty("hj212.port", "-1");
    properties.setProperty("health.port", Integer.toString(healthPort));
    try (Writer writer = Files.newBufferedWriter(configFile)) {
      properties.store(writer, "CrashRecoveryIT MQTT");
    }
    Path log = directory.resolve("gateway-mqtt.log");
    String topic = "envmon/v1/" + config.cityId() + "/" + MQTT_POINT + "/up";

    Process gateway = launch(configFile, log);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
    CountDownLatch killed = new CountDownLatch(1);
    MqttAsyncClient device =
        new MqttAsyncClient(
            infrastructure.mqttUrl(),
            "crash-device-" + config.gatewayId(),
            new MemoryPersistence());
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy(healthPort, 1));
      device.connect().waitForCompletion(10_000);
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(MQTT_READINGS);
      Thread publisher =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < MQTT_READINGS; i++) {
                    if (i == MQTT_READINGS / 2 && !killed.await(60, TimeUnit.SECONDS)) {
                      throw new AssertionError("the gateway was not killed within 60 s");
                    }
                    Instant at = start.plusSeconds(i);
                    String senml =
                        "[{\"bn\":\""
                            + MQTT_POINT
                            + ":\",\"bt\":"
                            + at.getEpochSecond()
                            + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":"
                            + (i % 500)
                            + "}]";
                    MqttMessage message = new MqttMessage(senml.getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    IMqttToken token = publishQos1(device, topic, message);
                    token.waitForCompletion(30_000); // Mosquitto's PUBACK
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                      refused.incrementAndGet();
                    } else {
                      acknowledged.add(Reading.idFor(MQTT_POINT, at));
                    }
                  }
                } catch (Throwable e) {
                  publisherFailure.set(e);
                }
              },
              "crash-device");
      publisher.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> acceptedSoFar(healthPort) >= MQTT_KILL_AFTER_ACCEPTED);
      // SIGKILL: the device has published half of its readings and goes on with the other half.
      gateway.destroyForcibly();
      gateway.waitFor();
      int ackedAtKill = acknowledged.size();
      killed.countDown();
      gateway = launch(configFile, log);

      publisher.join(120_000);
      assertThat(publisherFailure.get()).as("the device's publishing").isNull();
      assertThat(refused.get()).as("PUBACKs with an error code").isZero();
      assertThat(acknowledged).hasSize(MQTT_READINGS);

      try (RunningGateway.ReadingsConsumer kafka =
          new RunningGateway.ReadingsConsumer(infrastructure, config.readingsTopic())) {
        Map<String, Integer> copies = new HashMap<>();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  for (AcceptedReading reading : kafka.poll()) {
                    copies.merge(reading.reading().readingId(), 1, Integer::sum);
                  }
                  return copies.keySet().containsAll(acknowledged);
                });
        long duplicates = copies.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "CrashRecoveryIT MQTT: %d QoS 1 readings PUBACKed (%d by the kill at %d accepted),"
                + " all %d in Kafka; %d readings twice%n",
            acknowledged.size(), ackedAtKill, MQTT_KILL_AFTER_ACCEPTED, copies.size(), duplicates);
      }
    } finally {
      if (device.isConnected()) {
        device.disconnect().waitForCompletion(5_000);
      }
      device.close();
      gateway.destroy();
      gateway.waitFor();
    }
  }
}
