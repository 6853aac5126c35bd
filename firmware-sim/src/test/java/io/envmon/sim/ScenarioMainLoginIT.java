package io.envmon.sim;

import static io.envmon.gateway.auth.MosquittoAuthFiles.Rule.publish;
import static io.envmon.gateway.auth.MosquittoAuthFiles.Rule.receive;
import static io.envmon.gateway.auth.MosquittoAuthFiles.Rule.subscribePattern;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.auth.MosquittoAuthFiles;
import io.envmon.gateway.auth.MosquittoAuthFiles.Account;
import io.envmon.sim.scenario.Scenario;
import io.envmon.sim.scenario.ScenarioFile;
import io.envmon.sim.station.Station;
import io.envmon.sim.transport.Transport;
import io.envmon.testsupport.SecuredMosquitto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScenarioMain#transports} against a real Mosquitto that checks logins and topics (its own
 * broker, like what `./envmon up` runs): an MQTT station whose device entry names {@code
 * mqtt.password} logs in as its device, the others share the endpoints file's login.
 */
class ScenarioMainLoginIT {

  private static final String SCENARIO =
      """
      {"name": "login-it", "seed": 1, "timeZone": "Asia/Shanghai", "stations": [
        {"point": "itc-air-01", "city": "itc", "kind": "AIR", "protocol": "MQTT",
         "device": "dev-a", "interval": "PT5M"},
        {"point": "itc-air-02", "city": "itc", "kind": "AIR", "protocol": "MQTT",
         "device": "dev-b", "interval": "PT5M"}]}
      """;

  @TempDir static Path directory;
  private static SecuredMosquitto mosquitto;
  private static String url;

  @BeforeAll
  static void startMosquitto() throws Exception {
    // The device logins as ./envmon up writes them: from a credentials file of the gateway.
    Path devices = directory.resolve("devices.properties");
    Files.writeString(
        devices,
        """
        device.dev-a.points=itc-air-01
        device.dev-a.mqtt.password=password-a
        device.dev-b.points=itc-air-02
        device.dev-b.mqtt.password=password-b
        """,
        UTF_8);
    MosquittoAuthFiles logins = new MosquittoAuthFiles();
    logins.addDevices("itc", DeviceCredentials.load(devices));
    logins
        .add(
            new Account(
                "sim",
                "password-sim",
                List.of(
                    publish("envmon/v1/itc/+/up"),
                    subscribePattern("envmon/v1/+/+/rejected"),
                    receive("envmon/v1/+/+/rejected"))))
        .add(
            new Account(
                "reader",
                "password-reader",
                List.of(subscribePattern("envmon/v1/#"), receive("envmon/v1/#"))));
    logins.write(directory);
    mosquitto =
        SecuredMosquitto.start(directory, directory.resolve(MosquittoAuthFiles.CONFIG_FILE));
    url = mosquitto.url();
  }

  @AfterAll
  static void stopMosquitto() throws Exception {
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  @Test
  void eachStationWithAnMqttPasswordPublishesUnderItsOwnLogin() throws Exception {
    Properties devices = new Properties();
    devices.setProperty("device.dev-a.mqtt.password", "password-a");
    devices.setProperty("device.dev-b.mqtt.password", "password-b");
    // No endpoints login: a shared connection would be anonymous and refused by this broker.
    assertThat(sendOneReadingPerStation(devices, new Properties()))
        .containsExactlyInAnyOrder("envmon/v1/itc/itc-air-01/up", "envmon/v1/itc/itc-air-02/up");
  }

  @Test
  void aWrongDevicePasswordIsRefusedByTheBroker() {
    Properties devices = new Properties();
    devices.setProperty("device.dev-a.mqtt.password", "password-a");
    devices.setProperty("device.dev-b.mqtt.password", "password-a");
    Properties endpoints = endpoints();
    assertThatThrownBy(() -> ScenarioMain.transports(scenario(), endpoints, devices).close())
        .isInstanceOf(Exception.class);
  }

  @Test
  void stationsWithoutMqttPasswordShareTheEndpointsLogin() throws Exception {
    Properties login = new Properties();
    login.setProperty("mqtt.username", "sim");
    login.setProperty("mqtt.password", "password-sim");
    assertThat(sendOneReadingPerStation(new Properties(), login))
        .containsExactlyInAnyOrder("envmon/v1/itc/itc-air-01/up", "envmon/v1/itc/itc-air-02/up");
  }

  private static Scenario scenario() throws IOException {
    return ScenarioFile.parse(
        new ObjectMapper().readTree(SCENARIO), Instant.parse("2026-01-01T00:00:00Z"), 1L);
  }

  private static Properties endpoints() {
    Properties endpoints = new Properties();
    endpoints.setProperty("mqtt.url", url);
    return endpoints;
  }

  /** Sends one reading per station; returns the topics a reader received. */
  private static Set<String> sendOneReadingPerStation(Properties devices, Properties login)
      throws Exception {
    Scenario scenario = scenario();
    Properties endpoints = endpoints();
    endpoints.putAll(login);
    Set<String> received = ConcurrentHashMap.newKeySet();
    MqttClient reader = new MqttClient(url, "reader-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("reader");
    options.setPassword("password-reader".getBytes(UTF_8));
    reader.connect(options);
    try {
      // The array form: MqttClient.subscribe(String, int, listener) recurses in Paho 1.2.5.
      reader.subscribe(
          new MqttSubscription[] {new MqttSubscription("envmon/v1/itc/+/up", 1)},
          new IMqttMessageListener[] {(topic, message) -> received.add(topic)});
      try (Transport transport = ScenarioMain.transports(scenario, endpoints, devices)) {
        for (Station station : scenario.stations()) {
          transport
              .send(station, scenario.emission(station, scenario.start()).orElseThrow())
              .get(10, TimeUnit.SECONDS);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
      return Set.copyOf(received);
    } finally {
      reader.disconnect();
      reader.close();
    }
  }
}
