package io.envmon.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiTestServer;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.PointStatus;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Registry changes reach Kafka envmon.points.v1 through the outbox. */
@WithRealInfrastructure
class PointsOutboxIT {

  static ApiTestServer api;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
  }

  @Test
  @DisplayName("a created and then decommissioned point is published keyed by its id, in order")
  void changesArePublishedToPointsTopic() throws Exception {
    String token = api.tokenOf("wujiang-bureau");
    api.http()
        .exchange(
            HttpRequest.POST(
                    "/api/v1/points",
                    Map.of(
                        "id", "wujiang-noise-outbox",
                        "cityId", "wujiang",
                        "kind", "NOISE",
                        "name", "outbox test",
                        "lat", 31.16,
                        "lon", 120.64,
                        "status", "ACTIVE",
                        "sharing", "CITIES",
                        "sharedWith", List.of("jiashan"),
                        "zone", "4a"))
                .bearerAuth(token),
            Map.class);
    api.http()
        .exchange(
            HttpRequest.DELETE("/api/v1/points/wujiang-noise-outbox").bearerAuth(token), Map.class);

    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<MonitoringPoint> published = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(api.pointsTopic));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (record.key().equals("wujiang-noise-outbox")) {
                    published.add(MonitoringPointJson.decode(record.value()));
                  }
                }
                assertThat(published).hasSize(2);
              });
    }
    assertThat(published.get(0).status()).isEqualTo(PointStatus.ACTIVE);
    assertThat(published.get(0).sharedWith()).containsExactly("jiashan");
    assertThat(published.get(1).status()).isEqualTo(PointStatus.DECOMMISSIONED);
  }

  @Test
  @DisplayName("the demo data file's points are published on start")
  void demoPointsArePublished() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(api.pointsTopic));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
                assertThat(keys)
                    .contains("qingpu-air-01", "wujiang-water-taipu-02", "jiashan-noise-01");
              });
    }
  }
}
