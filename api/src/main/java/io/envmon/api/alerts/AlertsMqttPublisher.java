package io.envmon.api.alerts;

import io.envmon.domain.wire.MqttTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * Publishes every alert event (raised, escalated, cleared, acknowledged) to MQTT {@code
 * envmon/v1/{cityId}/alerts} of the receiving city, QoS 1, payload the alert JSON of the API
 * ({@link AlertView}). It follows {@code alert_event} in id order from a cursor kept in PostgreSQL
 * ({@link PublicationCursorRepository}, channel {@code mqtt}), moved on only after the broker's
 * PUBACK: at-least-once across broker outages and restarts. It reads when PostgreSQL notices new
 * events ({@link AlertEventNotices}) and every {@code poll-interval} (the fallback while the
 * listener reconnects). The first start begins at the newest event (history is not replayed). Off
 * when no broker URL is configured.
 */
@Singleton
public class AlertsMqttPublisher implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(AlertsMqttPublisher.class);
  private static final String CHANNEL = "mqtt";
  private static final int BATCH = 200;
  private static final Duration RECONNECT = Duration.ofSeconds(2);

  private final AlertsMqttConfiguration configuration;
  private final AlertStore store;
  private final PublicationCursorRepository cursors;
  private final AlertEventNotices notices;
  private final JsonMapper json;
  private final Counter published;

  /** A permit per notice of new events; the loop waits for one or the poll interval. */
  private final Semaphore noticed = new Semaphore(0);

  private volatile boolean running;
  private Disposable noticesSubscription;
  private Thread thread;

  public AlertsMqttPublisher(
      AlertsMqttConfiguration configuration,
      AlertStore store,
      PublicationCursorRepository cursors,
      AlertEventNotices notices,
      JsonMapper json,
      MeterRegistry meters) {
    this.configuration = configuration;
    this.store = store;
    this.cursors = cursors;
    this.notices = notices;
    this.json = json;
    this.published = meters.counter("envmon.alerts.mqtt.published");
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (!configuration.enabled() || running) {
      return;
    }
    running = true;
    noticesSubscription = notices.notices().subscribe(tick -> noticed.release());
    // a thread of its own, not a pooled task: it holds the broker connection and waits for each
    // PUBACK for as long as the API runs
    thread = new Thread(this::run, "alerts-mqtt");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    running = false;
    if (noticesSubscription != null) {
      noticesSubscription.dispose();
    }
    if (thread != null) {
      thread.interrupt();
      thread.join(10_000);
    }
  }

  private void run() {
    long cursor = -1;
    while (running) {
      try {
        if (cursor < 0) {
          cursor = readOrStartCursor();
        }
        cursor = publishWhileConnected(cursor);
      } catch (MqttException | RuntimeException e) {
        cursor = -1; // read again: publishes again what was sent after the last saved event
        if (running) {
          log.warn(
              "Publishing alerts to {} failed, retrying in {}: {}",
              configuration.brokerUrl(),
              RECONNECT,
              e.toString());
        }
      }
      sleep(RECONNECT);
    }
  }

  /** Connects, then publishes new events until stopped or the broker fails; returns the cursor. */
  private long publishWhileConnected(long cursor) throws MqttException {
    MqttClient client =
        new MqttClient(
            configuration.brokerUrl(),
            configuration.clientId() + "-" + UUID.randomUUID().toString().substring(0, 8),
            new MemoryPersistence());
    try {
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      options.setAutomaticReconnect(false);
      options.setConnectionTimeout(10);
      if (configuration.username() != null && !configuration.username().isBlank()) {
        options.setUserName(configuration.username());
      }
      if (configuration.password() != null && !configuration.password().isEmpty()) {
        options.setPassword(configuration.password().getBytes(StandardCharsets.UTF_8));
      }
      client.setTimeToWait(10_000);
      client.connect(options);
      log.info("Publishing alerts to {} from event {}", configuration.brokerUrl(), cursor);
      try {
        while (running) {
          List<AlertEvent> events = store.eventsAfter(cursor, BATCH);
          for (AlertEvent event : events) {
            MqttMessage message = new MqttMessage(payload(event));
            message.setQos(1);
            // blocks until the broker's PUBACK
            client.publish(MqttTopics.alerts(event.alert().cityId()), message);
            published.increment();
            cursor = event.id();
          }
          if (!events.isEmpty()) {
            cursors.moveTo(CHANNEL, cursor);
          }
          if (events.size() < BATCH) {
            awaitNewEvents();
          }
        }
      } finally {
        if (client.isConnected()) {
          client.disconnect();
        }
      }
    } finally {
      client.close();
    }
    return cursor;
  }

  private byte[] payload(AlertEvent event) {
    try {
      return json.writeValueAsBytes(event.view());
    } catch (IOException e) {
      throw new IllegalStateException("could not write alert " + event.alert().alertId(), e);
    }
  }

  private long readOrStartCursor() {
    cursors.startAtNewestUnlessPresent(CHANNEL);
    return cursors.lastEventId(CHANNEL);
  }

  /** Until PostgreSQL notices new events or the poll interval has passed. */
  private void awaitNewEvents() {
    try {
      noticed.tryAcquire(configuration.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
      // the read that follows sees every event noticed so far
      noticed.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
