package io.envmon.jobs.ingest;

import io.envmon.domain.wire.KafkaCatchUp;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry stream's watermark: none ({@code Long.MIN_VALUE}) until the compacted {@code
 * envmon.points.v1} has been read up to the last record it held when the job started (or until
 * {@code timeout} of processing time has passed), then "end of time" ({@code Long.MAX_VALUE}): so
 * no operator joining readings with the registry fires an event-time timer before the registry is
 * loaded (docs/stream-jobs.md "Guarantees", "Registry before readings"). Needs the registry read by
 * one reader (parallelism 1).
 *
 * @param lastOffsets partition → offset of its last record at start (empty partitions absent)
 */
public record RegistryCatchUp(Map<Integer, Long> lastOffsets, long timeoutMillis)
    implements WatermarkStrategy<PointUpdate> {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryCatchUp.class);

  public RegistryCatchUp {
    lastOffsets = Map.copyOf(lastOffsets);
  }

  /** Waits for nothing but {@code timeout} (or the end of a bounded registry source). */
  public static RegistryCatchUp timeoutOnly(Duration timeout) {
    // Partition -1 is never read, so only the timeout (or the end of input) ends the wait.
    return new RegistryCatchUp(Map.of(-1, Long.MAX_VALUE), timeout.toMillis());
  }

  /**
   * The offset of the last committed record of each partition of {@code topic} now (transaction
   * markers and compacted-away offsets skipped).
   */
  public static RegistryCatchUp fromKafka(String bootstrap, String topic, Duration timeout) {
    return fromKafka(bootstrap, topic, timeout, Optional.empty());
  }

  /**
   * As above; when the job restores a checkpoint, {@code restoredGroup} is its registry reader's
   * consumer group: a partition whose committed offset is already past its last record was read
   * before the checkpoint (its records are in the restored broadcast state), so it is not waited
   * for.
   */
  public static RegistryCatchUp fromKafka(
      String bootstrap, String topic, Duration timeout, Optional<String> restoredGroup) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<Integer, Long> last = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          KafkaCatchUp.partitionsOf(consumer, topic, Duration.ofSeconds(30));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      // Not the end offsets themselves: read_committed, the last one may be a transaction marker.
      Map<TopicPartition, Long> end =
          KafkaCatchUp.toEndOf(consumer, partitions, Duration.ofSeconds(30)).endOffsets();
      for (TopicPartition partition : partitions) {
        Long offset = lastRecord(consumer, partition, begin.get(partition), end.get(partition));
        if (offset != null) {
          last.put(partition.partition(), offset);
        }
      }
    }
    restoredGroup.ifPresent(group -> dropReadBeforeTheCheckpoint(bootstrap, topic, group, last));
    LOG.info("registry {} to read up to offsets {} before readings are judged", topic, last);
    return new RegistryCatchUp(last, timeout.toMillis());
  }

  private static void dropReadBeforeTheCheckpoint(
      String bootstrap, String topic, String group, Map<Integer, Long> last) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> partitions = new HashSet<>();
      last.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(partitions, Duration.ofSeconds(30));
      committed.forEach(
          (partition, offset) -> {
            if (offset != null && offset.offset() > last.get(partition.partition())) {
              last.remove(partition.partition());
            }
          });
    }
  }

  private static Long lastRecord(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin, long end) {
    consumer.assign(List.of(partition));
    for (long back = 1; end > begin; back *= 16) {
      long from = Math.max(begin, end - back);
      consumer.seek(partition, from);
      Long last = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end) {
            last = last == null ? record.offset() : Math.max(last, record.offset());
          }
        }
      }
      if (last != null || from == begin) {
        return last;
      }
    }
    return null;
  }

  @Override
  public TimestampAssigner<PointUpdate> createTimestampAssigner(
      TimestampAssignerSupplier.Context context) {
    return (update, recordTimestamp) -> recordTimestamp;
  }

  @Override
  public WatermarkGenerator<PointUpdate> createWatermarkGenerator(
      WatermarkGeneratorSupplier.Context context) {
    return new Generator(lastOffsets, timeoutMillis);
  }

  private static final class Generator implements WatermarkGenerator<PointUpdate> {
    private final Map<Integer, Long> remaining;
    private final long timeoutMillis;
    private final long startedAt = System.currentTimeMillis();
    private boolean caughtUp;

    Generator(Map<Integer, Long> lastOffsets, long timeoutMillis) {
      this.remaining = new HashMap<>(lastOffsets);
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void onEvent(PointUpdate update, long eventTimestamp, WatermarkOutput output) {
      Long last = remaining.get(update.partition());
      if (last != null && update.offset() >= last) {
        remaining.remove(update.partition());
      }
      check(output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      check(output);
    }

    private void check(WatermarkOutput output) {
      if (!caughtUp) {
        if (remaining.isEmpty()) {
          caughtUp = true;
          LOG.info("registry read up to its end at start: readings are judged from now on");
        } else if (System.currentTimeMillis() - startedAt >= timeoutMillis) {
          caughtUp = true;
          LOG.warn(
              "registry not read up to its end at start after {} ms (left: {}): judging readings"
                  + " anyway",
              timeoutMillis,
              remaining);
        }
      }
      if (caughtUp) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
      }
    }
  }
}
