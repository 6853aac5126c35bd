package io.envmon.api.alerts;

import io.envmon.domain.wire.MqttTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every alert event (raised, escalated, cleared, acknowledged) to MQTT {@code
 * envmon/v1/{cityId}/alerts} of the receiving city, QoS 1, payload the alert JSON of the API
 * ({@link AlertView}), on a thread of its own. It follows {@code alert_event} in id order from a
 * cursor kept in PostgreSQL ({@code alert_publication_cursor}, channel {@code mqtt}), moved on only
 * after the broker's PUBACK: at-least-once across broker outages and restarts. The first start
 * begins at the newest event (history is not replayed). Off when no broker URL is configured.
 */
@Singleton
public class AlertsMqttPublisher implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(AlertsMqttPublisher.class);
  private static final String CHANNEL = "mqtt";
  private static final int BATCH = 200;
  private static final Duration RECONNECT = Duration.ofSeconds(2);

  private final AlertsMqttConfiguration configuration;
  private final AlertStore store;
  private final TransactionOperations<Connection> transactions;
  private final JsonMapper json;
  private final Counter published;
  private volatile boolean running;
  private Thread thread;

  public AlertsMqttPublisher(
      AlertsMqttConfiguration configuration,
      AlertStore store,
      TransactionOperations<Connection> transactions,
      JsonMapper json,
      MeterRegistry meters) {
    this.configuration = configuration;
    this.store = store;
    this.transactions = transactions;
    this.json = json;
    this.published = meters.counter("envmon.alerts.mqtt.published");
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (!configuration.enabled() || running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "alerts-mqtt");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    running = false;
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
            saveCursor(cursor);
          }
          if (events.size() < BATCH) {
            sleep(configuration.pollInterval());
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
    return transactions.executeWrite(
        status -> {
          Connection connection = status.getConnection();
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO alert_publication_cursor (channel, last_event_id)"
                      + " SELECT ?, coalesce(max(id), 0) FROM alert_event"
                      + " ON CONFLICT (channel) DO NOTHING")) {
            insert.setString(1, CHANNEL);
            insert.executeUpdate();
          }
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT last_event_id FROM alert_publication_cursor WHERE channel = ?")) {
            select.setString(1, CHANNEL);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  private void saveCursor(long cursor) {
    transactions.executeWrite(
        status -> {
          try (PreparedStatement update =
              status
                  .getConnection()
                  .prepareStatement(
                      "UPDATE alert_publication_cursor SET last_event_id = ? WHERE channel = ?")) {
            update.setLong(1, cursor);
            update.setString(2, CHANNEL);
            return update.executeUpdate();
          }
        });
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
