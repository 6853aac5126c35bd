package io.envmon.gateway.mqtt;

import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.RefusalJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * acknowledged (PUBACK) only once its readings are in the spool, and PUBACKs go out in the order
 * the messages arrived, as MQTT 5 requires of a client ([MQTT-4.6.0-2], {@link InOrderAcks});
 * refused parts are answered on {@code envmon/v1/{cityId}/{pointId}/rejected}. While the spool is
 * full the message is held unacknowledged, which also stops the broker sending more. {@value
 * #WORKERS} workers decode and append messages in batches of up to {@value #WORKER_BATCH}; the
 * threading and why: docs/gateway.md "MQTT".
 */
public final class MqttIngest implements MqttCallback, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttIngest.class);

  /** Threads decoding, validating and appending messages. */
  static final int WORKERS = 2;

  /** Messages taken from Paho and not yet picked up by a worker. */
  static final int QUEUE_CAPACITY = 1024;

  /** Messages a worker takes from the queue at once. */
  static final int WORKER_BATCH = 64;

  private record Arrived(String topic, MqttMessage message, InOrderAcks.Slot slot) {}

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
      long sessionExpirySeconds,
      String sharedGroup) {
    public Options {
      Objects.requireNonNull(serverUri, "serverUri");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(cityId, "cityId");
      if (sharedGroup == null || sharedGroup.isEmpty()) {
        sharedGroup = MqttTopics.defaultSharedGroup(cityId);
      }
    }

    public Options(
        String serverUri,
        String clientId,
        String username,
        String password,
        String cityId,
        long sessionExpirySeconds) {
      this(serverUri, clientId, username, password, cityId, sessionExpirySeconds, null);
    }
  }

  private final Options options;
  private final Intake intake;
  private final DeviceCredentials credentials;
  private final SenmlReadingDecoder decoder;
  private final MqttAsyncClient client;
  private final InOrderAcks acks;
  private final BlockingQueue<Arrived> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledExecutorService spoolFullRetries;
  private volatile boolean running = true;

  public MqttIngest(Options options, Intake intake, Clock clock) throws MqttException {
    this(options, intake, DeviceCredentials.none(), clock);
  }

  /**
   * @param credentials the devices: a message for a point is held to the rate limit of the device
   *     whose broker login may write that point's topic ({@link DeviceCredentials#mqttDeviceFor})
   */
  public MqttIngest(Options options, Intake intake, DeviceCredentials credentials, Clock clock)
      throws MqttException {
    this.options = options;
    this.intake = intake;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.decoder = new SenmlReadingDecoder(clock);
    this.client =
        new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence());
    this.acks = new InOrderAcks(this::sendPuback);
    client.setManualAcks(true);
    client.setCallback(this);
    for (int i = 0; i < WORKERS; i++) {
      Thread worker = new Thread(this::work, "mqtt-ingest-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    spoolFullRetries =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "mqtt-spool-full-retry");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The shared subscription of this gateway's city. */
  public String subscriptionFilter() {
    return MqttTopics.sharedUp(options.sharedGroup(), options.cityId());
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
    if (options.serverUri().startsWith("tcp://")) {
      connection.setSocketFactory(new BufferedSocketFactory());
    }
    if (options.username() != null && !options.username().isBlank()) {
      connection.setUserName(options.username());
      connection.setPassword(
          options.password() == null
              ? new byte[0]
              : options.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    workers.forEach(Thread::start);
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
  public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
    // On Paho's callback thread: take a place in the ack order and hand the message on.
    InOrderAcks.Slot slot = acks.arrived(message);
    while (running) {
      if (queue.offer(new Arrived(topic, message, slot), 1, TimeUnit.SECONDS)) {
        return;
      }
    }
    acks.skip(slot); // shutting down: not acknowledged, the broker keeps it
  }

  private void work() {
    List<Arrived> batch = new ArrayList<>(WORKER_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Arrived first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, WORKER_BATCH - 1);
        List<Received> received = new ArrayList<>(batch.size());
        for (Arrived arrived : batch) {
          try {
            read(arrived).ifPresent(received::add);
          } catch (RuntimeException e) {
            // Not acknowledged: the broker redelivers it after a reconnect.
            log.error("MQTT: message on {} not handled; not acknowledged", arrived.topic(), e);
            acks.skip(arrived.slot());
          }
        }
        receive(received);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /** A message read for the intake. */
  private record Received(Arrived arrived, Intake.Delivery delivery) {}

  /**
   * The point and the SenML payload of a message; empty (refused and acknowledged) when its topic
   * is not a point's {@code up} topic of this city.
   */
  private Optional<Received> read(Arrived arrived) {
    String topic = arrived.topic();
    String[] levels = topic.split("/");
    if (levels.length != 5 || !levels[2].equals(options.cityId()) || !"up".equals(levels[4])) {
      intake.refuse(
          topic, new Refusal(RefusalReason.MALFORMED, "topic", "not envmon/v1/{city}/{point}/up"));
      acks.done(arrived.slot());
      return Optional.empty();
    }
    String pointId = levels[3];
    Intake.Payload payload =
        Intake.Payload.decode(
            arrived.message().getPayload(),
            bytes -> Intake.Payload.senml(decoder.decodeJson(bytes, pointId, Source.MQTT)));
    // The broker's ACL lets only this device's login write the topic: its rate limit applies
    // (throttled readings are answered on .../rejected and the message acknowledged: dropped).
    DeviceCredentials.Device device = credentials.mqttDeviceFor(pointId).orElse(null);
    return Optional.of(
        new Received(arrived, new Intake.Delivery(device, pointId, Source.MQTT, payload)));
  }

  /** Hands a worker's batch to the intake (one spool append); each message answered after. */
  private void receive(List<Received> batch) {
    if (batch.isEmpty()) {
      return;
    }
    CompletableFuture<List<Intake.Result>> results;
    try {
      results = intake.receiveAllAsync(batch.stream().map(Received::delivery).toList());
    } catch (RuntimeException e) {
      results = CompletableFuture.failedFuture(e);
    }
    results.whenComplete(
        (all, failure) -> {
          for (int i = 0; i < batch.size(); i++) {
            Received received = batch.get(i);
            Intake.Result result =
                failure == null ? all.get(i) : new Intake.Result.NotSpooled(failure);
            answer(received.arrived(), received.delivery().pointId(), result);
          }
        });
  }

  /** A refused message is answered on .../rejected and acknowledged; a failed one is not. */
  private void answer(Arrived arrived, String pointId, Intake.Result result) {
    if (result instanceof Intake.Result.Validated validated) {
      spooled(arrived, pointId, validated.outcome(), null);
    } else if (result instanceof Intake.Result.PointRefused refused) {
      reject(pointId, 0, List.of(refused.refusal()));
      acks.done(arrived.slot());
    } else if (result instanceof Intake.Result.Undecodable undecodable) {
      reject(pointId, 0, List.of(undecodable.refusal()));
      acks.done(arrived.slot());
    } else if (result instanceof Intake.Result.NotSpooled failed) {
      spooled(arrived, pointId, null, failed.failure());
    }
  }

  /** The spool answered (on its fsync thread, or at once when full): acknowledge, retry or not. */
  private void spooled(Arrived arrived, String pointId, Intake.Outcome outcome, Throwable failure) {
    if (failure != null) {
      // Not acknowledged: the broker redelivers it after a reconnect.
      log.error("MQTT: message from {} not spooled; not acknowledged", pointId, failure);
      acks.skip(arrived.slot());
      return;
    }
    if (outcome.spoolFull()) {
      if (!running || !acks.isCurrent(arrived.slot())) {
        // Shutting down, or the connection it came on is gone (the broker sends it again).
        acks.skip(arrived.slot());
        return;
      }
      log.warn("MQTT: spool full; holding the message from {} unacknowledged", pointId);
      try {
        spoolFullRetries.schedule(
            () ->
                intake
                    .retryAsync(outcome)
                    .whenComplete((again, error) -> spooled(arrived, pointId, again, error)),
            1,
            TimeUnit.SECONDS);
      } catch (RejectedExecutionException e) {
        acks.skip(arrived.slot()); // closed meanwhile
      }
      return;
    }
    if (!outcome.refusals().isEmpty()) {
      reject(pointId, outcome.spooled().size(), outcome.refusals());
    }
    acks.done(arrived.slot());
  }

  private void reject(String pointId, int accepted, List<Refusal> refusals) {
    String topic = MqttTopics.rejected(options.cityId(), pointId);
    try {
      client.publish(topic, RefusalJson.encode(pointId, accepted, refusals), 1, false);
    } catch (MqttException e) {
      log.warn("MQTT: cannot answer on {}: {}", topic, e.toString());
    }
  }

  private void sendPuback(MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      log.warn("MQTT: cannot acknowledge message {}: {}", message.getId(), e.toString());
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
    acks.newConnection();
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
    for (Thread worker : workers) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    spoolFullRetries.shutdownNow();
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
