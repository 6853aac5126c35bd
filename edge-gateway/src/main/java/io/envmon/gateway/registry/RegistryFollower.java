package io.envmon.gateway.registry;

import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.wire.KafkaCatchUp;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code envmon.points.v1} from its beginning into the {@link PointRegistry}
 * (key = point id, null value = tombstone). Starts from the on-disk snapshot so the gateway works
 * while Kafka is down; once it has read the topic to its end it replaces the registry with what the
 * topic says, and saves every change back to the snapshot.
 */
public final class RegistryFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  private final PointRegistry registry;
  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final RegistrySnapshot snapshot;
  private final Thread thread;
  private final Map<String, MonitoringPoint> fromTopic = new HashMap<>();
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private KafkaCatchUp endAtAssignment;

  public RegistryFollower(
      PointRegistry registry,
      Consumer<String, byte[]> consumer,
      String topic,
      RegistrySnapshot snapshot) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    this.thread = new Thread(this::run, "registry-" + topic);
    thread.setDaemon(true);
  }

  /** A group-less consumer: every gateway reads the whole registry. */
  public static Consumer<String, byte[]> consumer(String bootstrap, String gatewayId) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "envmon-gateway-registry-" + gatewayId,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class));
  }

  /** Loads the snapshot into the registry and starts following the topic. */
  public void start() {
    List<MonitoringPoint> saved = snapshot.load();
    registry.replaceAll(saved);
    log.info("registry: {} points from the snapshot {}", saved.size(), snapshot.file());
    thread.start();
  }

  /** True once the whole topic was read since start. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    while (running) {
      try {
        if (consumer.assignment().isEmpty() && !assign()) {
          Thread.sleep(1000);
          continue;
        }
        boolean changed = false;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          changed |= apply(record);
        }
        if (!caughtUp && endAtAssignment.reachedBy(consumer)) {
          registry.replaceAll(List.copyOf(fromTopic.values()));
          caughtUp = true;
          changed = true;
          log.info("registry: caught up with {}, {} points", topic, registry.size());
        }
        if (changed && caughtUp) {
          snapshot.save(registry.all());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (KafkaException e) {
        if (!running) {
          return;
        }
        log.warn("registry: cannot read {} ({}); keeping the last registry", topic, e.toString());
        sleepQuietly();
      } catch (IOException e) {
        log.warn("registry: cannot save the snapshot {}", snapshot.file(), e);
      }
    }
  }

  private boolean assign() {
    List<TopicPartition> partitions = KafkaCatchUp.partitionsOf(consumer, topic, KAFKA_TIMEOUT);
    if (partitions.isEmpty()) {
      return false;
    }
    // The end offsets before the assignment: a failure in between leaves nothing assigned, and
    // the next round starts over.
    endAtAssignment = KafkaCatchUp.toEndOf(consumer, partitions, KAFKA_TIMEOUT);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return true;
  }

  private boolean apply(ConsumerRecord<String, byte[]> record) {
    String pointId = record.key();
    if (pointId == null) {
      log.warn("registry: record at {}-{} has no key; skipped", topic, record.offset());
      return false;
    }
    if (record.value() == null) {
      fromTopic.remove(pointId);
      registry.remove(pointId);
      return true;
    }
    try {
      MonitoringPoint point = MonitoringPointJson.decode(record.value());
      fromTopic.put(point.id(), point);
      registry.put(point);
      return true;
    } catch (DecodeException | RuntimeException e) {
      log.warn(
          "registry: point {} at offset {} does not decode: {}",
          pointId,
          record.offset(),
          e.getMessage());
      return false;
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
