package io.envmon.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Where the registry reader must read to before readings are judged, on a real broker. */
@WithRealInfrastructure
class RegistryCatchUpIT {

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String topic = "it-registry-" + suffix;
  private final String group = "it-registry-jobs-" + suffix + "-points";

  @Test
  void aFreshStartReadsToTheEndAndARestoreSkipsWhatItsGroupHadRead(Infrastructure infra)
      throws Exception {
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 3; i++) {
          byte[] point = ("p" + i).getBytes(StandardCharsets.UTF_8);
          producer.send(new ProducerRecord<>(topic, point, point)).get();
        }
      }
      Duration timeout = Duration.ofSeconds(30);

      assertThat(RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), topic, timeout).lastOffsets())
          .isEqualTo(Map.of(0, 2L));

      // A checkpointed reader committed offset 2: it has yet to read the last record.
      TopicPartition partition = new TopicPartition(topic, 0);
      admin
          .alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(2)))
          .all()
          .get();
      assertThat(
              RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), topic, timeout, Optional.of(group))
                  .lastOffsets())
          .isEqualTo(Map.of(0, 2L));

      // It committed past the last record: nothing to wait for after the restore.
      admin
          .alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(3)))
          .all()
          .get();
      assertThat(
              RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), topic, timeout, Optional.of(group))
                  .lastOffsets())
          .isEmpty();
    }
  }
}
