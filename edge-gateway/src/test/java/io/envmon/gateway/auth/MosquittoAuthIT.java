package io.envmon.gateway.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.SecuredMosquitto;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mosquitto of this test's own (the apt binary, a free port) with its dynamic-security plugin
 * configured by {@link MosquittoAuthFiles}: no anonymous login, per-device passwords, publish and
 * subscribe grants. The shared test broker stays anonymous.
 */
@WithRealInfrastructure
class MosquittoAuthIT {

  private static final String CITY = "authcity";
  private static final String OTHER_CITY = "othercity";
  private static final String DEVICE = "station-1";
  private static final String DEVICE_PASSWORD = "station-1 pässword";
  private static final String OWN_POINT = "authcity-air-01";
  private static final String OTHER_POINT = "authcity-air-02";
  private static final String GATEWAY_USER = "gw-authcity";
  private static final String GATEWAY_PASSWORD = "gateway-secret";

  /** MQTT 5 reason codes Mosquitto 2.0 answers with. */
  private static final int NOT_AUTHORIZED = 0x87;

  @TempDir static Path directory;
  private static SecuredMosquitto mosquitto;
  private static String url;

  @BeforeAll
  static void startMosquitto() throws Exception {
    Path credentials = directory.resolve("devices.properties");
    Files.writeString(
        credentials,
        "device."
            + DEVICE
            + ".points="
            + OWN_POINT
            + "\ndevice."
            + DEVICE
            + ".mqtt.password="
            + DEVICE_PASSWORD
            + "\ndevice.station-2.points="
            + OTHER_POINT
            + "\ndevice.station-2.secret=coaps-only\n",
        UTF_8);
    Path otherCredentials = directory.resolve("other-devices.properties");
    Files.writeString(
        otherCredentials,
        "device.station-9.points=othercity-air-01\ndevice.station-9.mqtt.password=station-9-password\n",
        UTF_8);
    Path auth = directory.resolve("auth");
    MosquittoAuthFiles.run(
        new String[] {
          "--out", auth.toString(),
          "--devices", CITY + "=" + credentials,
          "--gateway", CITY + "=" + GATEWAY_USER + ":" + GATEWAY_PASSWORD,
          "--devices", OTHER_CITY + "=" + otherCredentials,
          "--gateway", OTHER_CITY + "=gw-othercity:other-secret",
          "--api", "api:api-secret"
        });
    mosquitto = SecuredMosquitto.start(directory, auth.resolve(MosquittoAuthFiles.CONFIG_FILE));
    url = mosquitto.url();
  }

  @AfterAll
  static void stopMosquitto() throws Exception {
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  @Test
  @DisplayName(
      "the password hash mosquitto_ctrl dynsec init writes is the one MosquittoAuthFiles computes")
  void hashMatchesMosquittoCtrl() throws Exception {
    Path file = directory.resolve("dynsec-by-mosquitto-ctrl.json");
    Process init =
        new ProcessBuilder(
                "mosquitto_ctrl", "dynsec", "init", file.toString(), DEVICE, DEVICE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(init.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(init.exitValue()).isZero();
    String json = Files.readString(file, UTF_8);
    String salt = field(json, "salt");
    MosquittoAuthFiles.PasswordHash expected =
        new MosquittoAuthFiles.PasswordHash(
            field(json, "password"), salt, Integer.parseInt(field(json, "iterations")));
    assertThat(expected.iterations()).isEqualTo(MosquittoAuthFiles.ITERATIONS);
    assertThat(
            MosquittoAuthFiles.hash(
                DEVICE_PASSWORD, Base64.getDecoder().decode(salt), expected.iterations()))
        .isEqualTo(expected);
  }

  /** A string or number field of the (single) client mosquitto_ctrl wrote. */
  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\\s*\"?([^\",\\s]+)").matcher(json);
    assertThat(matcher.find()).as(name + " in " + json).isTrue();
    return matcher.group(1);
  }

  @Test
  @DisplayName(
      "a device publishes to its own point's topic and the gateway (with its broker login)"
          + " receives it; another point's topic is answered not authorised")
  void deviceMayPublishOnlyForItsOwnPoints(Infrastructure infrastructure) throws Exception {
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool-" + UUID.randomUUID()),
            Map.of(
                "city.id", CITY,
                "mqtt.url", url,
                "mqtt.username", GATEWAY_USER,
                "mqtt.password", GATEWAY_PASSWORD,
                "hj212.port", "-1",
                "coap.port", "-1"));
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure,
                config,
                List.of(TestPoints.air(OWN_POINT, CITY), TestPoints.air(OTHER_POINT, CITY)));
        Client device = Client.connect(url, DEVICE, DEVICE_PASSWORD)) {
      BlockingQueue<MqttMessage> rejected =
          device.listen("envmon/v1/" + CITY + "/" + OWN_POINT + "/rejected");
      long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();

      int own = device.publish("envmon/v1/" + CITY + "/" + OWN_POINT + "/up", senml(bt, 35.2));
      assertThat(own).as("PUBACK reason code on its own point").isZero();
      AcceptedReading forwarded =
          running.awaitForwarded(r -> r.reading().pointId().equals(OWN_POINT));
      assertThat(forwarded.reading().observedAt()).isEqualTo(Instant.ofEpochSecond(bt));

      int other = device.publish("envmon/v1/" + CITY + "/" + OTHER_POINT + "/up", senml(bt + 1, 3));
      assertThat(other).as("PUBACK reason code on another point").isEqualTo(NOT_AUTHORIZED);

      // The gateway may answer on the device's .../rejected topic, and the device may read it.
      int impossible =
          device.publish("envmon/v1/" + CITY + "/" + OWN_POINT + "/up", senml(bt + 2, -4));
      assertThat(impossible).isZero();
      MqttMessage answer =
          await().atMost(Duration.ofSeconds(20)).until(rejected::poll, m -> m != null);
      assertThat(new String(answer.getPayload(), UTF_8)).contains("impossible_value");

      // Of the two points, only the one the device may send for ever reached Kafka.
      assertThat(running.forwardedSoFar())
          .extracting(r -> r.reading().pointId())
          .containsOnly(OWN_POINT);
    }
  }

  @Test
  @DisplayName(
      "a wrong password, an unknown user and an anonymous client are refused at CONNECT (0x87)")
  void wrongPasswordIsRefusedAtConnect() {
    // Mosquitto 2.0.11 answers MQTT 5 CONNECTs it refuses with 0x87 Not authorized, not 0x86.
    assertThat(Client.connectReasonCode(url, DEVICE, "wrong")).isEqualTo(NOT_AUTHORIZED);
    assertThat(Client.connectReasonCode(url, "nobody", "x")).isEqualTo(NOT_AUTHORIZED);
    assertThat(Client.connectReasonCode(url, null, null)).isEqualTo(NOT_AUTHORIZED);
    assertThat(Client.connectReasonCode(url, DEVICE, DEVICE_PASSWORD)).isZero();
  }

  @Test
  @DisplayName(
      "SUBSCRIBE is checked by the dynamic-security plugin: a device may subscribe only to its"
          + " .../rejected topics, a gateway only to its own city's shared subscription (0x87"
          + " otherwise)")
  void subscriptionsAreRefusedAtSubscribe() throws Exception {
    String cityUp = "envmon/v1/" + CITY + "/+/up";
    String otherUp = "envmon/v1/" + OTHER_CITY + "/+/up";
    try (Client device = Client.connect(url, DEVICE, DEVICE_PASSWORD);
        Client gateway = Client.connect(url, GATEWAY_USER, GATEWAY_PASSWORD)) {
      for (String filter :
          List.of(
              "$share/envmon-" + CITY + "/" + cityUp,
              "$share/any-group/" + cityUp,
              "$share/+/" + cityUp,
              cityUp,
              "envmon/v1/" + CITY + "/" + OWN_POINT + "/up",
              "envmon/v1/" + CITY + "/" + OTHER_POINT + "/rejected",
              otherUp,
              "envmon/v1/#",
              "#",
              "$share/g/#",
              "$CONTROL/dynamic-security/#")) {
        assertThat(device.subscribe(filter))
            .as("device SUBACK of " + filter)
            .isEqualTo(NOT_AUTHORIZED);
      }
      assertThat(device.subscribe("envmon/v1/" + CITY + "/" + OWN_POINT + "/rejected"))
          .isEqualTo(1);

      for (String filter :
          List.of(
              "$share/envmon-" + OTHER_CITY + "/" + otherUp,
              otherUp,
              cityUp,
              "$share/g/envmon/v1/+/+/up",
              "$share/g/envmon/v1/" + CITY + "/#",
              "envmon/v1/" + CITY + "/alerts",
              "#")) {
        assertThat(gateway.subscribe(filter))
            .as("gateway SUBACK of " + filter)
            .isEqualTo(NOT_AUTHORIZED);
      }
      assertThat(gateway.subscribe("$share/any-group/" + cityUp)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "the gateway account receives its city's readings through the shared subscription, never"
          + " another city's; a device can publish neither alerts nor another city's readings")
  void gatewayAccountReceivesOnlyItsCity() throws Exception {
    try (Client gateway = Client.connect(url, GATEWAY_USER, GATEWAY_PASSWORD);
        Client otherGateway = Client.connect(url, "gw-othercity", "other-secret");
        Client device = Client.connect(url, DEVICE, DEVICE_PASSWORD);
        Client otherDevice = Client.connect(url, "station-9", "station-9-password")) {
      // Its own group: the gateway of another test may have left its session in envmon-{city}.
      BlockingQueue<MqttMessage> own =
          gateway.listen("$share/it-" + CITY + "/envmon/v1/" + CITY + "/+/up");
      BlockingQueue<MqttMessage> theirs =
          otherGateway.listen("$share/envmon-" + OTHER_CITY + "/envmon/v1/" + OTHER_CITY + "/+/up");

      assertThat(otherDevice.publish("envmon/v1/" + OTHER_CITY + "/othercity-air-01/up", "[]"))
          .isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> theirs.poll() != null);
      // The broker sends to one connection in order, so once this city's later reading is in, the
      // other's would have come first.
      assertThat(device.publish("envmon/v1/" + CITY + "/" + OWN_POINT + "/up", "own city"))
          .isZero();
      MqttMessage next =
          await().atMost(Duration.ofSeconds(10)).until(() -> own.poll(), m -> m != null);
      assertThat(new String(next.getPayload(), UTF_8)).isEqualTo("own city");
      assertThat(own).isEmpty();

      // A device can neither publish alerts nor another city's readings.
      assertThat(device.publish("envmon/v1/" + CITY + "/alerts", "{}")).isEqualTo(NOT_AUTHORIZED);
      assertThat(device.publish("envmon/v1/" + OTHER_CITY + "/othercity-air-01/up", "[]"))
          .isEqualTo(NOT_AUTHORIZED);
    }
  }

  @Test
  @DisplayName(
      "a device login that joins the gateways' shared group (even knowing its name) is refused at"
          + " SUBSCRIBE and takes none of the city's readings: all 20 reach Kafka")
  void deviceCannotJoinTheGatewaysSharedGroup(Infrastructure infrastructure) throws Exception {
    String group = "envmon-" + CITY + "-" + UUID.randomUUID().toString().substring(0, 8);
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool-" + UUID.randomUUID()),
            Map.of(
                "city.id", CITY,
                "mqtt.url", url,
                "mqtt.username", GATEWAY_USER,
                "mqtt.password", GATEWAY_PASSWORD,
                // Its own group: another test's gateway may have left its session in the default.
                "mqtt.shared.group", group,
                "hj212.port", "-1",
                "coap.port", "-1"));
    try (RunningGateway running =
            RunningGateway.start(infrastructure, config, List.of(TestPoints.air(OWN_POINT, CITY)));
        Client intruder = Client.connect(url, DEVICE, DEVICE_PASSWORD);
        Client device = Client.connect(url, DEVICE, DEVICE_PASSWORD)) {
      // Granted under acl_file (Mosquitto's ACL file checks "read" only at delivery), this took a
      // round-robin share of the readings, which the broker then dropped for the intruder.
      // The secret group name stays as defence in depth; the plugin refuses even the right one.
      assertThat(intruder.subscribe("$share/" + group + "/envmon/v1/" + CITY + "/+/up"))
          .isEqualTo(NOT_AUTHORIZED);
      assertThat(intruder.subscribe("$share/" + group + "/envmon/v1/" + CITY + "/#"))
          .isEqualTo(NOT_AUTHORIZED);
      long bt = Instant.now().truncatedTo(ChronoUnit.SECONDS).getEpochSecond() - 60;
      for (int i = 0; i < 20; i++) {
        assertThat(device.publish("envmon/v1/" + CITY + "/" + OWN_POINT + "/up", senml(bt + i, 30)))
            .isZero();
      }
      // The 20th reading (one partition per point: in order) arrives only after the other 19.
      running.awaitForwarded(r -> r.reading().observedAt().equals(Instant.ofEpochSecond(bt + 19)));
      assertThat(
              running.forwardedSoFar().stream()
                  .filter(r -> r.reading().pointId().equals(OWN_POINT))
                  .map(r -> r.reading().observedAt())
                  .filter(t -> !t.isBefore(Instant.ofEpochSecond(bt)))
                  .distinct())
          .hasSize(20);
    }
  }

  @Test
  @DisplayName("a gateway process whose broker login is refused exits with code 1 at start")
  void gatewayWithAWrongPasswordExitsAtStart(Infrastructure infrastructure) throws Exception {
    Path properties = directory.resolve("gateway-wrong-password.properties");
    Files.writeString(
        properties,
        "city.id="
            + CITY
            + "\ngateway.id=gw-refused-1\nmqtt.url="
            + url
            + "\nmqtt.username="
            + GATEWAY_USER
            + "\nmqtt.password=not-the-password\nkafka.bootstrap="
            + infrastructure.kafkaBootstrap()
            + "\nspool.dir="
            + directory.resolve("spool-refused")
            + "\nhj212.port=-1\nhealth.port=-1\n",
        UTF_8);
    Path log = directory.resolve("gateway-refused.log");
    Process gateway =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.envmon.gateway.GatewayMain",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertThat(gateway.waitFor(90, TimeUnit.SECONDS)).as("the gateway exited").isTrue();
      assertThat(gateway.exitValue()).isEqualTo(1);
      assertThat(Files.readString(log)).contains("cannot start: Not authorized. (135)");
    } finally {
      gateway.destroyForcibly();
    }
  }

  private static String senml(long bt, double pm25) {
    return "[{\"bn\":\""
        + OWN_POINT
        + ":\",\"bt\":"
        + bt
        + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":"
        + pm25
        + "}]";
  }

  /** A Paho MQTT 5 client that reports the broker's reason codes instead of hiding them. */
  private static final class Client implements MqttCallback, AutoCloseable {
    private final MqttAsyncClient client;
    private final Map<String, BlockingQueue<MqttMessage>> inboxes =
        new java.util.concurrent.ConcurrentHashMap<>();

    private Client(MqttAsyncClient client) {
      this.client = client;
    }

    static Client connect(String url, String user, String password) throws MqttException {
      MqttAsyncClient paho =
          new MqttAsyncClient(url, "it-" + UUID.randomUUID(), new MemoryPersistence());
      Client client = new Client(paho);
      paho.setCallback(client);
      try {
        paho.connect(options(user, password)).waitForCompletion(10_000);
      } catch (MqttException e) {
        paho.close(true);
        throw e;
      }
      return client;
    }

    /** The CONNACK reason code (0 = success). */
    static int connectReasonCode(String url, String user, String password) {
      try (Client connected = connect(url, user, password)) {
        return connected.client.isConnected() ? 0 : -1;
      } catch (MqttException e) {
        return e.getReasonCode();
      }
    }

    private static MqttConnectionOptions options(String user, String password) {
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setConnectionTimeout(10);
      if (user != null) {
        options.setUserName(user);
        options.setPassword(password.getBytes(UTF_8));
      }
      return options;
    }

    /** Publishes with QoS 1 and returns the PUBACK's reason code. */
    int publish(String topic, String payload) throws MqttException {
      MqttMessage message = new MqttMessage(payload.getBytes(UTF_8));
      message.setQos(1);
      try {
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(10_000);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
      } catch (MqttException e) {
        return e.getReasonCode();
      }
    }

    /** Subscribes with QoS 1 and returns the SUBACK's reason code (granted QoS or an error). */
    int subscribe(String filter) throws MqttException {
      IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
      token.waitForCompletion(10_000);
      return token.getReasonCodes()[0];
    }

    /** Subscribes to {@code filters} (each must be granted) and collects what matches them. */
    BlockingQueue<MqttMessage> listen(String... filters) throws MqttException {
      BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
      for (String filter : filters) {
        inboxes.put(filter.replaceFirst("^\\$share/[^/]+/", ""), inbox);
        assertThat(subscribe(filter)).as("SUBACK of " + filter).isEqualTo(1);
      }
      return inbox;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      inboxes.forEach(
          (filter, inbox) -> {
            if (MqttTopicValidator.isMatched(filter, topic)) {
              inbox.add(message);
            }
          });
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}

    @Override
    public void close() {
      try {
        if (client.isConnected()) {
          client.disconnect().waitForCompletion(5_000);
        }
        client.close();
      } catch (MqttException e) {
        // best effort
      }
    }
  }
}
