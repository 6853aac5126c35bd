package io.envmon.domain.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaCatchUpTest {

  private static final String TOPIC = "envmon.points.v1";
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

  @Test
  void aTopicThatDoesNotExistHasNoPartitions() {
    assertThat(KafkaCatchUp.partitionsOf(consumer, TOPIC, TIMEOUT)).isEmpty();
  }

  @Test
  void theTopicsPartitionsInOrder() {
    consumer.updatePartitions(TOPIC, List.of(partition(1), partition(0)));
    consumer.updatePartitions(
        "other", List.of(new PartitionInfo("other", 0, Node.noNode(), new Node[0], new Node[0])));

    assertThat(KafkaCatchUp.partitionsOf(consumer, TOPIC, TIMEOUT)).containsExactly(P0, P1);
  }

  @Test
  void caughtUpOnceEveryPartitionReachedItsEndAtStart() {
    startWith(Map.of(P0, 2L, P1, 1L));
    KafkaCatchUp catchUp = KafkaCatchUp.toEndOf(consumer, List.of(P0, P1), TIMEOUT);
    assertThat(catchUp.endOffsets()).isEqualTo(Map.of(P0, 2L, P1, 1L));

    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "a", "1"));
    consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 0, "b", "1"));
    consumer.poll(TIMEOUT);
    assertThat(catchUp.reachedBy(consumer)).as("partition 0 has one more").isFalse();

    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "a", "2"));
    consumer.poll(TIMEOUT);
    assertThat(catchUp.reachedBy(consumer)).isTrue();
  }

  @Test
  void recordsWrittenAfterTheStartAreNotWaitedFor() {
    startWith(Map.of(P0, 1L, P1, 0L));
    KafkaCatchUp catchUp = KafkaCatchUp.toEndOf(consumer, List.of(P0, P1), TIMEOUT);
    consumer.updateEndOffsets(Map.of(P0, 5L, P1, 3L));

    consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "a", "1"));
    consumer.poll(TIMEOUT);

    assertThat(catchUp.reachedBy(consumer)).isTrue();
  }

  @Test
  void emptyPartitionsAreCaughtUpAtOnce() {
    startWith(Map.of(P0, 0L, P1, 0L));

    assertThat(KafkaCatchUp.toEndOf(consumer, List.of(P0, P1), TIMEOUT).reachedBy(consumer))
        .isTrue();
  }

  private void startWith(Map<TopicPartition, Long> end) {
    consumer.updatePartitions(TOPIC, List.of(partition(0), partition(1)));
    consumer.assign(List.of(P0, P1));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(end);
    consumer.seekToBeginning(List.of(P0, P1));
  }

  private static PartitionInfo partition(int number) {
    return new PartitionInfo(TOPIC, number, Node.noNode(), new Node[0], new Node[0]);
  }
}
