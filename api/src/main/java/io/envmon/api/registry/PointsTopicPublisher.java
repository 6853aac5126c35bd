package io.envmon.api.registry;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Properties;
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
 * Sends outbox rows to Kafka and waits for the broker's acknowledgement; creates {@code
 * envmon.points.v1} as a compacted topic when it is missing.
 */
@Singleton
public class PointsTopicPublisher {

  private static final Logger log = LoggerFactory.getLogger(PointsTopicPublisher.class);

  private final KafkaConfiguration kafka;
  private volatile KafkaProducer<String, byte[]> producer;
  private volatile boolean topicChecked;

  public PointsTopicPublisher(KafkaConfiguration kafka) {
    this.kafka = kafka;
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
    if (topicChecked) {
      return;
    }
    Properties properties = new Properties();
    properties.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(properties)) {
      NewTopic compacted =
          new NewTopic(topic, 1, (short) 1)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(java.util.List.of(compacted)).all().get(15, TimeUnit.SECONDS);
      log.info("Created compacted topic {}", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        log.warn("Could not create topic {}: {}", topic, e.getCause().toString());
      }
    } catch (TimeoutException e) {
      log.warn("Timed out creating topic {}", topic);
    }
    topicChecked = true;
  }

  @PreDestroy
  synchronized void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
