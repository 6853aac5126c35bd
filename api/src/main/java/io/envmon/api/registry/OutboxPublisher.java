package io.envmon.api.registry;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox rows to Kafka and waits for the broker's acknowledgement; creates a missing topic:
 * the registry's ({@code envmon.points.v1}) compacted, any other (the review marks') kept whole
 * ({@code retention.ms=-1}: the topic is their history, read from its start by the jobs).
 */
@Singleton
public class OutboxPublisher {

  private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);

  private final KafkaConfiguration kafka;
  private final RegistryConfiguration registry;
  private final Set<String> checkedTopics = ConcurrentHashMap.newKeySet();
  private volatile KafkaProducer<String, byte[]> producer;

  public OutboxPublisher(KafkaConfiguration kafka, RegistryConfiguration registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /** Sends one message and returns once Kafka has it (acks=all). */
  public void send(String topic, String key, byte[] value)
      throws ExecutionException, InterruptedException, TimeoutException {
    ensureTopic(topic);
    producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
  }

  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties properties = new Properties();
      properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
      properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
      producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private void ensureTopic(String topic) throws InterruptedException {
    if (checkedTopics.contains(topic)) {
      return;
    }
    Properties properties = new Properties();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    Map<String, String> configs =
        topic.equals(registry.pointsTopic())
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
    try (Admin admin = Admin.create(properties)) {
      NewTopic created = new NewTopic(topic, 1, (short) 1).configs(configs);
      admin.createTopics(java.util.List.of(created)).all().get(15, TimeUnit.SECONDS);
      log.info("Created topic {} ({})", topic, configs);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        log.warn("Could not create topic {}: {}", topic, e.getCause().toString());
      }
    } catch (TimeoutException e) {
      log.warn("Timed out creating topic {}", topic);
    }
    checkedTopics.add(topic);
  }

  @PreDestroy
  synchronized void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
