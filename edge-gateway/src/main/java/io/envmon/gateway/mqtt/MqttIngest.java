package io.envmon.gateway.mqtt;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.RecordError;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.Refusal;
import io.envmon.gateway.validation.RefusalJson;
import io.envmon.gateway.validation.RefusalReason;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes SenML JSON readings from {@code envmon/v1/{cityId}/{pointId}/up} through an MQTT 5 shared
 * subscription (several gateways of a city share the load) with a persistent session. A message is
 * acknowledged (PUBACK) only once its readings are in the spool; refused parts are answered on
 * {@code envmon/v1/{cityId}/{pointId}/rejected}. While the spool is full the message is held
 * unacknowledged, which also stops the broker sending more.
 */
public final class MqttIngest implements MqttCallback, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttIngest.class);

  /**
   * @param sessionExpirySeconds how long the broker keeps the session (and QoS 1 messages) while
   *     the gateway is away
   */
  public record Options(
      String serverUri,
      String clientId,
      String username,
      String password,
      String cityId,
      long sessionExpirySeconds) {
    public Options {
      Objects.requireNonNull(serverUri, "serverUri");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(cityId, "cityId");
    }
  }

  private final Options options;
  private final Intake intake;
  private final SenmlReadingDecoder decoder;
  private final MqttAsyncClient client;
  private volatile boolean running = true;

  public MqttIngest(Options options, Intake intake, Clock clock) throws MqttException {
    this.options = options;
    this.intake = intake;
    this.decoder = new SenmlReadingDecoder(clock);
    this.client =
        new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(this);
  }

  /** The shared subscription of this gateway's city. */
  public String subscriptionFilter() {
    return "$share/envmon-" + options.cityId() + "/envmon/v1/" + options.cityId() + "/+/up";
  }

  /** Connects and subscribes; waits up to 30 s for the broker, then keeps reconnecting. */
  public void start() throws MqttException {
    MqttConnectionOptions connection = new MqttConnectionOptions();
    connection.setCleanStart(false);
    connection.setSessionExpiryInterval(options.sessionExpirySeconds());
    connection.setAutomaticReconnect(true);
    connection.setAutomaticReconnectDelay(1, 30);
    connection.setConnectionTimeout(10);
    connection.setKeepAliveInterval(30);
    if (options.username() != null && !options.username().isBlank()) {
      connection.setUserName(options.username());
      connection.setPassword(
          options.password() == null
              ? new byte[0]
              : options.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    client.connect(connection).waitForCompletion(30_000);
    subscribe();
  }

  private void subscribe() throws MqttException {
    var token =
        client.subscribe(new MqttSubscription[] {new MqttSubscription(subscriptionFilter(), 1)});
    token.waitForCompletion(30_000);
    int[] codes = token.getReasonCodes();
    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
      // e.g. 0x87: the broker's ACL does not let this gateway's login read its city's readings.
      throw new MqttException(codes[0]);
    }
    log.info("MQTT: subscribed to {} at {}", subscriptionFilter(), options.serverUri());
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    try {
      handle(topic, message);
    } catch (RuntimeException e) {
      // Not acknowledged: the broker redelivers it after a reconnect.
      log.error("MQTT: message on {} not handled; not acknowledged", topic, e);
    }
  }

  private void handle(String topic, MqttMessage message) {
    String[] levels = topic.split("/");
    if (levels.length != 5 || !levels[2].equals(options.cityId()) || !"up".equals(levels[4])) {
      intake.refuse(
          topic, new Refusal(RefusalReason.MALFORMED, "topic", "not envmon/v1/{city}/{point}/up"));
      acknowledge(message);
      return;
    }
    String pointId = levels[3];
    SenmlDecodeResult decoded;
    try {
      decoded = decoder.decodeJson(message.getPayload(), pointId, Source.MQTT);
    } catch (DecodeException e) {
      Refusal refusal = new Refusal(RefusalReason.MALFORMED, e.location(), e.reason());
      intake.undecodable(Source.MQTT, pointId, refusal, message.getPayload());
      reject(pointId, 0, List.of(refusal));
      acknowledge(message);
      return;
    }
    List<Refusal> decodeRefusals = decoded.errors().stream().map(MqttIngest::asRefusal).toList();
    Intake.Outcome outcome = intake.accept(pointId, decoded.readings(), decodeRefusals);
    while (outcome.spoolFull() && running) {
      log.warn("MQTT: spool full; holding the message from {} unacknowledged", pointId);
      sleep(1);
      outcome = intake.retry(outcome);
    }
    if (outcome.spoolFull()) {
      return; // shutting down: not acknowledged, the broker keeps it
    }
    if (!outcome.refusals().isEmpty()) {
      reject(pointId, outcome.spooled().size(), outcome.refusals());
    }
    acknowledge(message);
  }

  static Refusal asRefusal(RecordError error) {
    return new Refusal(
        RefusalReason.MALFORMED, "record " + error.index() + " " + error.field(), error.reason());
  }

  private void reject(String pointId, int accepted, List<Refusal> refusals) {
    String topic = "envmon/v1/" + options.cityId() + "/" + pointId + "/rejected";
    try {
      client.publish(topic, RefusalJson.encode(pointId, accepted, refusals), 1, false);
    } catch (MqttException e) {
      log.warn("MQTT: cannot answer on {}: {}", topic, e.toString());
    }
  }

  private void acknowledge(MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      log.warn("MQTT: cannot acknowledge message {}: {}", message.getId(), e.toString());
    }
  }

  private static void sleep(long seconds) {
    try {
      TimeUnit.SECONDS.sleep(seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    if (reconnect) {
      log.info("MQTT: reconnected to {}", serverUri);
      new Thread(
              () -> {
                try {
                  subscribe();
                } catch (MqttException e) {
                  log.warn("MQTT: cannot resubscribe: {}", e.toString());
                }
              },
              "mqtt-resubscribe")
          .start();
    }
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    log.warn("MQTT: disconnected ({}); reconnecting", response.getReasonString());
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    log.warn("MQTT: error {}", exception.toString());
  }

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}

  @Override
  public void close() {
    running = false;
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close();
    } catch (MqttException e) {
      log.warn("MQTT: close failed: {}", e.toString());
    }
  }
}
