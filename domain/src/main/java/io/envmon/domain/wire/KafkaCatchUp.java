package io.envmon.domain.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * "Read up to the end offsets found at start", one way for every reader that keeps a whole topic in
 * memory (the API's latest view, the gateway's registry follower, the jobs' registry catch-up): the
 * end offset each partition had when the reader began, and whether the reader's position has
 * reached them all. Records written later are read as well, but are not waited for.
 *
 * <p>Needs kafka-clients, an optional dependency of {@code domain}: only the modules that read
 * Kafka use this class and bring it in (firmware-sim does not).
 */
public final class KafkaCatchUp {

  private final Map<TopicPartition, Long> endOffsets;

  private KafkaCatchUp(Map<TopicPartition, Long> endOffsets) {
    this.endOffsets = Map.copyOf(endOffsets);
  }

  /**
   * The partitions of {@code topic}, empty while it does not exist; from the cluster's list of
   * topics, so that asking never creates the topic (a broker that creates topics on a consumer's
   * metadata request would make it with the broker's defaults, not compacted, one partition).
   */
  public static List<TopicPartition> partitionsOf(
      Consumer<?, ?> consumer, String topic, Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.listTopics(timeout).getOrDefault(topic, List.of())) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    partitions.sort(Comparator.comparingInt(TopicPartition::partition));
    return partitions;
  }

  /** The end offsets of {@code partitions} now: what a reader starting now is to catch up with. */
  public static KafkaCatchUp toEndOf(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Duration timeout) {
    return new KafkaCatchUp(consumer.endOffsets(partitions, timeout));
  }

  /** Whether {@code consumer}'s position in every partition has reached its end at start. */
  public boolean reachedBy(Consumer<?, ?> consumer) {
    for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Each partition's end offset at start. */
  public Map<TopicPartition, Long> endOffsets() {
    return endOffsets;
  }

  @Override
  public String toString() {
    return "end offsets " + endOffsets;
  }
}
