package io.envmon.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real Kafka broker stores a reading that an idempotent producer sent, for a consumer. */
@WithRealInfrastructure
class KafkaRoundTripIT {

  @Test
  @DisplayName("a reading acknowledged by all replicas is read back by a consumer group")
  void acknowledgedReadingIsConsumed(Infrastructure infrastructure) throws Exception {
    String run = UUID.randomUUID().toString();
    String topic = "it.readings." + run;
    String pointId = "wujiang-water-taipu-01";
    String reading = "{\"pointId\":\"" + pointId + "\",\"n\":\"do\",\"v\":6.4,\"t\":1763683200}";

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    RecordMetadata written;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig(infrastructure))) {
      written =
          producer.send(new ProducerRecord<>(topic, pointId, reading)).get(30, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig(infrastructure, "it-" + run))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
                return !consumed.isEmpty();
              });
    }

    assertThat(consumed).hasSize(1);
    ConsumerRecord<String, String> record = consumed.get(0);
    assertThat(record.key()).isEqualTo(pointId);
    assertThat(record.value()).isEqualTo(reading);
    assertThat(record.partition()).isEqualTo(written.partition());
    assertThat(record.offset()).isEqualTo(written.offset());
  }

  private static Map<String, Object> producerConfig(Infrastructure infrastructure) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        infrastructure.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class);
  }

  private static Map<String, Object> consumerConfig(Infrastructure infrastructure, String group) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        infrastructure.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG,
        group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class);
  }
}
