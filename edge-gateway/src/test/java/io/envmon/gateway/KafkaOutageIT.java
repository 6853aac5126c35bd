package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Reading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Kafka is stopped for 60 s (the figure) while a device keeps publishing MQTT QoS 1
 * readings: the gateway keeps acknowledging into its spool, and once Kafka is back every reading
 * Mosquitto PUBACKed is in Kafka and the spool drains. The shared test Kafka must not be stopped,
 * so this test runs a Kafka of its own with {@code envmon infra up kafka} / {@code infra down
 * kafka} / {@code infra up kafka} on the same ports and data directory (the same cluster).
 */
@WithRealInfrastructure
class KafkaOutageIT {

  private static final String POINT = "outage-air-01";
  private static final Duration OUTAGE = Duration.ofSeconds(60);

  /** Readings per second the device publishes (each waits for its PUBACK). */
  private static final int RATE = 50;

  @Test
  @DisplayName(
      "Kafka stopped for 60 s under load: every PUBACKed reading reaches Kafka after it returns"
          + " and the spool drains")
  void nothingIsLostWhileKafkaIsDown(Infrastructure shared) throws Exception {
    Path state =
        Path.of(System.getProperty("user.dir"), "target", "kafka-outage-" + UUID.randomUUID());
    Files.createDirectories(state);
    try {
      envmon(state, Map.of(), "up");
      Properties endpoints = properties(state.resolve("endpoints.properties"));
      Properties ports = properties(state.resolve("kafka.ports"));
      Infrastructure infrastructure =
          new Infrastructure(
              shared.mqttUrl(),
              endpoints.getProperty("kafka.bootstrap"),
              shared.influxUrl(),
              shared.postgresJdbcUrl(),
              shared.postgresUser(),
              shared.postgresPassword());
      run(infrastructure, state, ports);
    } finally {
      envmon(state, Map.of(), "down");
      deleteRecursively(state);
    }
  }

  private void run(Infrastructure infrastructure, Path state, Properties ports) throws Exception {
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            state.resolve("spool"),
            Map.of("hj212.port", "-1", "coap.port", "-1", "health.port", "-1"));
    String topic = "envmon/v1/" + config.cityId() + "/" + POINT + "/up";
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong spoolPeak = new AtomicLong();
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure, config, List.of(TestPoints.air(POINT, config.cityId())))) {
      MqttAsyncClient device =
          new MqttAsyncClient(
              infrastructure.mqttUrl(),
              "outage-device-" + config.gatewayId(),
              new MemoryPersistence());
      device.connect().waitForCompletion(10_000);
      Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
      Thread publisher =
          new Thread(
              () -> {
                long startNanos = System.nanoTime();
                try {
                  for (int i = 0; !stop.get(); i++) {
                    // Paced at RATE readings/s: load, not a wait for a condition.
                    long due = startNanos + i * (1_000_000_000L / RATE);
                    LockSupport.parkNanos(due - System.nanoTime());
                    Instant at = base.plusSeconds(i);
                    String senml =
                        "[{\"bn\":\""
                            + POINT
                            + ":\",\"bt\":"
                            + at.getEpochSecond()
                            + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":"
                            + (i % 300)
                            + "}]";
                    MqttMessage message = new MqttMessage(senml.getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    IMqttToken token = publish(device, topic, message);
                    token.waitForCompletion(30_000);
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                      refused.incrementAndGet();
                    } else {
                      acknowledged.add(Reading.idFor(POINT, at));
                    }
                  }
                } catch (Throwable e) {
                  publisherFailure.set(e);
                }
              },
              "outage-device");
      publisher.start();
      try {
        running.awaitForwarded(r -> true);
        int beforeOutage = acknowledged.size();

        envmon(state, Map.of(), "down");
        long outageStart = System.nanoTime();
        // The outage lasts OUTAGE; meanwhile the spool depth is sampled for its peak.
        await()
            .atMost(OUTAGE.plusSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  spoolPeak.accumulateAndGet(running.gateway.spool().depth(), Math::max);
                  return System.nanoTime() - outageStart >= OUTAGE.toNanos();
                });
        int duringOutage = acknowledged.size() - beforeOutage;
        long spooledDuringOutage = running.gateway.spool().depth();
        Map<String, String> samePorts =
            Map.of(
                "ENVMON_KAFKA_PORT", ports.getProperty("kafka"),
                "ENVMON_KAFKA_CONTROLLER_PORT", ports.getProperty("kafka-controller"));
        envmon(state, samePorts, "up");
        double outageSeconds = (System.nanoTime() - outageStart) / 1e9;

        // A little load after Kafka is back, then the device stops.
        int afterRestart = acknowledged.size();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> acknowledged.size() >= afterRestart + RATE);
        stop.set(true);
        publisher.join(60_000);
        assertThat(publisherFailure.get()).as("the device's publishing").isNull();
        assertThat(refused.get()).as("PUBACKs with an error code").isZero();
        assertThat(duringOutage).as("readings PUBACKed while Kafka was down").isPositive();
        assertThat(spooledDuringOutage)
            .as("readings waiting in the spool at the end of the outage")
            .isPositive();

        try (RunningGateway.ReadingsConsumer kafka =
            new RunningGateway.ReadingsConsumer(infrastructure, config.readingsTopic())) {
          Map<String, Integer> copies = new HashMap<>();
          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () -> {
                    for (AcceptedReading reading : kafka.poll()) {
                      copies.merge(reading.reading().readingId(), 1, Integer::sum);
                    }
                    return copies.keySet().containsAll(acknowledged);
                  });
          await().atMost(Duration.ofSeconds(60)).until(() -> running.gateway.spool().depth() == 0);
          long duplicates = copies.values().stream().filter(n -> n > 1).count();
          System.out.printf(
              "KafkaOutageIT: Kafka down %.1f s; %d readings PUBACKed in all, %d during the"
                  + " outage; spool depth peak %d; all in Kafka after it returned, spool"
                  + " drained; %d readings twice%n",
              outageSeconds, acknowledged.size(), duringOutage, spoolPeak.get(), duplicates);
        }
      } finally {
        stop.set(true);
        publisher.join(60_000);
        if (device.isConnected()) {
          device.disconnect().waitForCompletion(5_000);
        }
        device.close();
      }
    }
  }

  /** Paho 1.2.5 may refuse a publish right after the previous PUBACK (its issue #551): retry. */
  private static IMqttToken publish(MqttAsyncClient client, String topic, MqttMessage message)
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

  /** {@code <repo>/envmon infra <command> kafka} with its state in {@code state}. */
  private static void envmon(Path state, Map<String, String> environment, String command)
      throws IOException, InterruptedException {
    Path script = repositoryRoot().resolve("envmon");
    Path log = state.resolve("envmon-" + command + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(script.toString(), "infra", command, "kafka")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("ENVMON_VAR", state.toString());
    builder.environment().put("ENVMON_PORTS", "auto");
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("envmon infra " + command + " kafka did not finish in 5 min");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "envmon infra "
              + command
              + " kafka exited with "
              + process.exitValue()
              + ":\n"
              + Files.readString(log));
    }
  }

  private static Path repositoryRoot() {
    for (Path directory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        directory != null;
        directory = directory.getParent()) {
      if (Files.isExecutable(directory.resolve("envmon"))) {
        return directory;
      }
    }
    throw new IllegalStateException("no envmon script above " + System.getProperty("user.dir"));
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
