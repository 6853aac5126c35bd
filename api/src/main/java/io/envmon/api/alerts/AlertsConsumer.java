package io.envmon.api.alerts;

import io.envmon.api.registry.KafkaConfiguration;
import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code envmon.alerts.v1} into PostgreSQL on a thread of its own, started with the
 * server, in the API's own consumer group. Each poll is stored in one transaction and its offsets
 * committed after it, so a crash redelivers, which {@link AlertStore#recordAll} absorbs. An
 * undecodable record is logged, counted ({@code envmon.alerts.undecodable}) and skipped; a storage
 * failure is retried from the same record.
 */
@Singleton
public class AlertsConsumer implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(AlertsConsumer.class);
  private static final Duration STORAGE_RETRY = Duration.ofSeconds(1);
  private static final Duration CLIENT_RESTART = Duration.ofSeconds(5);

  private final KafkaConfiguration kafka;
  private final AlertsConfiguration configuration;
  private final AlertStore store;
  private final Counter undecodable;
  private final Counter stored;
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public AlertsConsumer(
      KafkaConfiguration kafka,
      AlertsConfiguration configuration,
      AlertStore store,
      MeterRegistry meters) {
    this.kafka = kafka;
    this.configuration = configuration;
    this.store = store;
    this.undecodable = meters.counter("envmon.alerts.undecodable");
    this.stored = meters.counter("envmon.alerts.stored");
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (!configuration.consumerEnabled() || running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "alerts-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    running = false;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  /** Consumes until stopped; a failure of the Kafka client starts a new one after a pause. */
  private void run() {
    while (running) {
      try {
        consume();
      } catch (RuntimeException e) {
        log.error("Alerts consumer failed, restarting in {}", CLIENT_RESTART, e);
        sleep(CLIENT_RESTART);
      }
    }
  }

  private void consume() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, configuration.consumerGroup());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
    // Only committed records: everything the API announces (SSE, MQTT, webhooks) follows the table
    // this fills, and an alert of a transaction the jobs abort is one their restored state knows
    // nothing of (docs/alerts.md, "Only committed alerts are announced").
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> kafkaConsumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = kafkaConsumer;
      kafkaConsumer.subscribe(List.of(configuration.topic()));
      log.info(
          "Consuming alerts from {} as group {}",
          configuration.topic(),
          configuration.consumerGroup());
      while (running) {
        ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        // The whole poll in one PostgreSQL transaction and one offset commit per partition after
        // it (a transaction per alert change, an fsync each, and a commit per record, a broker
        // round trip each, capped the cluster's alert rate). Should the batch fail, the records
        // go one by one, so the one that cannot be stored is named and retried alone.
        if (!storeAll(records)) {
          storeOneByOne(kafkaConsumer, records);
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
          List<ConsumerRecord<String, byte[]>> polled = records.records(partition);
          done.put(partition, new OffsetAndMetadata(polled.get(polled.size() - 1).offset() + 1));
        }
        kafkaConsumer.commitSync(done);
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("Alerts consumer woken up unexpectedly", e);
      }
    } finally {
      consumer = null;
    }
  }

  /** Stores every decodable record of a poll in one transaction; false when that failed. */
  private boolean storeAll(ConsumerRecords<String, byte[]> records) {
    List<AlertStore.Change> changes = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      Alert alert = decode(record);
      if (alert != null) {
        changes.add(new AlertStore.Change(alert, record.value()));
      }
    }
    // In the order of the changes' times, across partitions (a stable sort keeps each alert's own
    // changes, which one partition holds, in their order): two episodes of a point in two
    // partitions are then stored as they happened, not the later first (which closes the earlier
    // one as superseded on arrival).
    changes.sort(Comparator.comparing(change -> change.alert().updatedAt()));
    try {
      stored.increment(store.recordAll(changes));
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Could not store a batch of {} alert changes, storing them one by one: {}",
          changes.size(),
          e.toString());
      return false;
    }
  }

  /**
   * Stores the records of a poll one by one, committing each partition's offset up to the last one
   * stored; at the first that fails the partition is sought back to it and retried after a pause.
   */
  private void storeOneByOne(
      KafkaConsumer<String, byte[]> kafkaConsumer, ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        if (!store(record)) {
          kafkaConsumer.seek(partition, record.offset());
          sleep(STORAGE_RETRY);
          break;
        }
        done.put(partition, new OffsetAndMetadata(record.offset() + 1));
      }
    }
    if (!done.isEmpty()) {
      kafkaConsumer.commitSync(done);
    }
  }

  /** True when the record is done with (stored or skipped), false to retry it. */
  private boolean store(ConsumerRecord<String, byte[]> record) {
    Alert alert = decode(record);
    if (alert == null) {
      return true;
    }
    try {
      if (store.record(alert, record.value())) {
        stored.increment();
      }
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Could not store alert {} ({}), retrying: {}",
          alert.alertId(),
          alert.state(),
          e.toString());
      return false;
    }
  }

  /** The record's alert, or null when it does not decode (logged and counted, then skipped). */
  private Alert decode(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.value() == null) {
        throw new DecodeException("empty record", "value");
      }
      return AlertJson.decode(record.value());
    } catch (DecodeException | RuntimeException e) {
      undecodable.increment();
      log.warn(
          "Skipping undecodable alert record {}-{}@{} (key {}): {}",
          record.topic(),
          record.partition(),
          record.offset(),
          record.key(),
          e.getMessage());
      return null;
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
