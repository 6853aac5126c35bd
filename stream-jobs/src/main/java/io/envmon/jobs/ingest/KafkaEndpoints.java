package io.envmon.jobs.ingest;

import io.envmon.domain.review.ReviewMark;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The production sources and sinks: Kafka topics of the contract. Tests pass other sources and
 * sinks to the same jobs.
 *
 * @param bounded stop at the offsets that are the latest at start (tests and one-off replays)
 */
public record KafkaEndpoints(
    String bootstrap, String groupId, boolean bounded, DeliveryGuarantee guarantee) {

  public KafkaSource<RawRecord> readings(String topic) {
    var builder =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId(groupId)
            .setStartingOffsets(
                OffsetsInitializer.committedOffsets(
                    org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
            .setDeserializer(new RawRecordDeserializer())
            // A fetch answers once 64 KB wait or after 50 ms, not for each reading: at a low rate
            // the broker otherwise answers a fetch per reading (docs/performance.md, "Fixed
            // costs"). 50 ms is small beside the alerts' 0.5 s checkpoint interval.
            .setProperty("fetch.min.bytes", "65536")
            .setProperty("fetch.max.wait.ms", "50");
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** The whole compacted registry from the beginning, then its changes. */
  /** The consumer group the registry reader commits its offsets under. */
  public static String pointsGroup(String groupId) {
    return groupId + "-points";
  }

  public KafkaSource<PointUpdate> points(String topic) {
    var builder =
        KafkaSource.<PointUpdate>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId(pointsGroup(groupId))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new PointUpdateDeserializer());
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** The consumer group the review marks' reader commits its offsets under. */
  public static String reviewMarksGroup(String groupId) {
    return groupId + "-review-marks";
  }

  /** Every review mark from the beginning (the topic is their whole history), then new ones. */
  public KafkaSource<ReviewMark> reviewMarks(String topic) {
    var builder =
        KafkaSource.<ReviewMark>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(topic)
            .setGroupId(reviewMarksGroup(groupId))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new ReviewMarkDeserializer());
    if (bounded) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /** A sink writing {@code value(element)} under {@code key(element)} to {@code topic}. */
  public <T> KafkaSink<T> sink(String topic, String transactionalIdPrefix, KeyedBytes<T> encoder) {
    KafkaRecordSerializationSchema<T> schema =
        (element, context, timestamp) ->
            new ProducerRecord<>(topic, encoder.key(element), encoder.value(element));
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrap)
        .setRecordSerializer(schema)
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        // Below the broker's transaction.max.timeout.ms (15 min by default).
        .setProperty("transaction.timeout.ms", "600000")
        .build();
  }

  /** Key and value bytes of a record to write; serializable so the sink can ship it. */
  public interface KeyedBytes<T> extends java.io.Serializable {
    byte[] key(T element);

    byte[] value(T element);
  }
}
