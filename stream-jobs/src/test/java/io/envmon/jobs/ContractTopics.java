package io.envmon.jobs;

import io.envmon.domain.wire.KafkaTopics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the contract's Kafka topics on the shared test broker, if they do not exist yet. */
final class ContractTopics {
  private ContractTopics() {}

  static void create(String bootstrap) throws Exception {
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap))) {
      for (String topic :
          List.of(
              KafkaTopics.READINGS,
              KafkaTopics.POINTS,
              KafkaTopics.ALERTS,
              KafkaTopics.SHARING_RATIOS,
              KafkaTopics.DEADLETTER,
              KafkaTopics.REVIEW_MARKS)) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }
}
