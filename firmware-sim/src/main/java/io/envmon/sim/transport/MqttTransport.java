package io.envmon.sim.transport;

import io.envmon.domain.reading.Reading;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.sim.station.Station;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Publishes readings as SenML JSON, QoS 1, to {@code envmon/v1/{cityId}/{pointId}/up}
 * (docs/gateway.md "Protocols"). One client for many simulated stations: a load generator, not a
 * model of each station's own TCP connection. The future completes on PUBACK; {@link #send} blocks
 * while {@code maxInFlight} publishes (or the broker's Receive Maximum) await theirs. Refusals the
 * gateway answers on {@code …/rejected} are reported to {@code onRejected}: a device login
 * subscribes to its own points' {@code …/rejected} topics (the broker's dynamic-security plugin
 * grants a device no wildcard, docs/gateway.md "Mosquitto logins and ACL"), any other login to
 * {@code envmon/v1/+/+/rejected}.
 */
public final class MqttTransport implements Transport {

  private final MqttAsyncClient client;
  private final LongAdder rejected = new LongAdder();
  private final Semaphore inFlight;
  private MqttConnectionOptions options;

  /** A transport that subscribes to every point's {@code …/rejected} topic. */
  public MqttTransport(
      String brokerUrl,
      String clientId,
      String username,
      String password,
      int maxInFlight,
      BiConsumer<String, String> onRejected)
      throws MqttException {
    this(
        brokerUrl,
        clientId,
        username,
        password,
        maxInFlight,
        List.of(MqttTopics.ALL_REJECTED),
        onRejected);
  }

  /** A transport that subscribes to {@code rejectedFilters}, e.g. {@link MqttTopics#rejected}. */
  public MqttTransport(
      String brokerUrl,
      String clientId,
      String username,
      String password,
      int maxInFlight,
      List<String> rejectedFilters,
      BiConsumer<String, String> onRejected)
      throws MqttException {
    client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(true);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password == null ? null : password.getBytes(StandardCharsets.UTF_8));
    }
    this.options = options;
    IMqttToken connected = client.connect(options);
    connected.waitForCompletion(10_000);
    // Paho refuses a publish beyond the broker's Receive Maximum: never have more in flight.
    Integer brokerMaximum =
        connected.getResponseProperties() == null
            ? null
            : connected.getResponseProperties().getReceiveMaximum();
    inFlight = new Semaphore(Math.min(maxInFlight, brokerMaximum == null ? 65_535 : brokerMaximum));
    // Paho 1.2.5 fails on per-subscription listeners (an empty subscription-identifier list):
    // take messages through the client's callback instead.
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            rejected.increment();
            onRejected.accept(topic, new String(message.getPayload(), StandardCharsets.UTF_8));
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
        });
    IMqttToken subscribed =
        client.subscribe(
            rejectedFilters.stream()
                .map(filter -> new MqttSubscription(filter, 0))
                .toArray(MqttSubscription[]::new));
    subscribed.waitForCompletion(10_000);
    int[] codes = subscribed.getReasonCodes();
    for (int i = 0; codes != null && i < codes.length && i < rejectedFilters.size(); i++) {
      if (codes[i] >= 0x80) {
        // Publishing still works; only the gateway's refusals go unseen.
        System.err.printf(
            "MQTT: the broker refused %s the subscription to %s (reason code 0x%x)%n",
            username, rejectedFilters.get(i), codes[i]);
      }
    }
  }

  @Override
  public CompletableFuture<Void> send(Station station, Reading reading) {
    return publish(
        MqttTopics.up(station.cityId(), station.pointId()), SenmlReadingEncoder.toJson(reading));
  }

  @Override
  public CompletableFuture<Void> sendMalformed(Station station, java.time.Instant at) {
    return publish(
        MqttTopics.up(station.cityId(), station.pointId()),
        io.envmon.sim.scenario.MalformedPackets.senml(station.pointId(), at));
  }

  /**
   * Fault "reconnect storm": disconnects (letting the in-flight publishes finish first, up to 5 s)
   * and connects again.
   */
  @Override
  public void reconnectAll() {
    try {
      client.disconnect(5_000).waitForCompletion(10_000);
      client.connect(options).waitForCompletion(10_000);
    } catch (MqttException e) {
      throw new IllegalStateException("MQTT reconnect storm failed: " + e.getMessage(), e);
    }
  }

  /** Publishes any payload, valid or not: the fault scenarios send malformed packs this way. */
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    inFlight.acquireUninterruptibly();
    acknowledged.whenComplete((ok, failure) -> inFlight.release());
    MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    try {
      client.publish(
          topic,
          message,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              acknowledged.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable failure) {
              acknowledged.completeExceptionally(failure);
            }
          });
    } catch (MqttException e) {
      acknowledged.completeExceptionally(e);
    }
    return acknowledged;
  }

  /** Messages seen on the rejected topics so far. */
  public long rejectedCount() {
    return rejected.sum();
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close();
    } catch (MqttException e) {
      throw new IllegalStateException("closing the MQTT client failed: " + e.getMessage(), e);
    }
  }
}
