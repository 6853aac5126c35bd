package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Proves the pinned Flink 2.2, flink-connector-kafka 5.0.0-2.2 and Kafka 4.2 run together: a
 * bounded Flink job in a local MiniCluster reads back what a producer wrote to the real broker.
 */
@WithRealInfrastructure
class FlinkKafkaConnectorIT {

  @Test
  void flinkJobReadsEveryRecordAProducerWroteToKafka(Infrastructure infra) throws Exception {
    String topic = "it-flink-" + UUID.randomUUID();
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      for (int i = 1; i <= 100; i++) {
        producer.send(new ProducerRecord<>(topic, "point-" + (i % 7), Integer.toString(i))).get();
      }
    }

    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(infra.kafkaBootstrap())
            .setTopics(topic)
            .setGroupId("it-flink")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    List<Integer> values =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
            .map(Integer::parseInt)
            .executeAndCollect("it-flink-kafka", 1_000);

    assertThat(values)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
  }
}
