package io.envmon.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiTestServer;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.PointStatus;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
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
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", api.infrastructure.kafkaBootstrap()))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, api.pointsTopic);
      assertThat(
              admin
                  .describeConfigs(List.of(topic))
                  .all()
                  .get()
                  .get(topic)
                  .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                  .value())
          .as("the registry topic, created by the API, is compacted")
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  @Test
  @DisplayName(
      "each point's record carries its city's zone and night; a city's new night sends its points"
          + " again")
  void aCitysNightWindowReachesTheTopicWithItsPoints() throws Exception {
    String city = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
    String coordinator = api.tokenOf("coordinator");
    Map<String, Object> cityBody = new java.util.HashMap<>();
    cityBody.put("id", city);
    cityBody.put("clusterId", "yrd-demo");
    cityBody.put("name", "夜间城市");
    cityBody.put("timeZone", "Asia/Shanghai");
    api.http().exchange(HttpRequest.POST("/api/v1/cities", cityBody).bearerAuth(coordinator));
    String point = city + "-noise-01";
    api.http()
        .exchange(
            HttpRequest.POST(
                    "/api/v1/points",
                    Map.of(
                        "id", point,
                        "cityId", city,
                        "kind", "NOISE",
                        "name", "night test",
                        "lat", 31.1,
                        "lon", 120.6,
                        "status", "ACTIVE",
                        "sharing", "CLUSTER",
                        "zone", "2"))
                .bearerAuth(coordinator),
            Map.class);
    cityBody.put("nightStart", "23:00");
    cityBody.put("nightEnd", "07:00");
    api.http()
        .exchange(HttpRequest.PUT("/api/v1/cities/" + city, cityBody).bearerAuth(coordinator));

    List<MonitoringPointJson.Registered> published = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(api.pointsTopic));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (record.key().equals(point)) {
                    published.add(MonitoringPointJson.decodeRecord(record.value()));
                  }
                }
                assertThat(published).hasSize(2);
              });
    }
    assertThat(published.get(0).city())
        .isEqualTo(new CityTime(ZoneId.of("Asia/Shanghai"), NightWindow.DEFAULT));
    assertThat(published.get(1).city().night()).isEqualTo(NightWindow.parse("23:00-07:00"));
    assertThat(published.get(1).point()).isEqualTo(published.get(0).point());
    // Nothing else changed: sending the changed records again finds none.
    assertThat(api.server.getApplicationContext().getBean(PointService.class).republishChanged())
        .isZero();
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
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
