package io.envmon.api;

import io.envmon.domain.reading.ReadingStore;
import io.envmon.testsupport.Infrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * One API server per test JVM against the real servers of the run, in a PostgreSQL schema, Kafka
 * topic and InfluxDB database of its own (so runs never see each other's rows). Stopped when the
 * JVM ends.
 */
public final class ApiTestServer {

  private static ApiTestServer instance;

  /** The ITs write readings of fixed dates back to 2024: a raw retention that keeps them. */
  public static final Duration TEST_RAW_RETENTION = Duration.ofDays(3650);

  public final EmbeddedServer server;
  public final HttpClient client;
  public final String pointsTopic;
  public final String reviewMarksTopic;
  public final String alertsTopic;
  public final String readingsTopic;
  public final String postgresSchema;
  public final String influxDatabase;
  public final Infrastructure infrastructure;

  private ApiTestServer(Infrastructure infrastructure, Map<String, Object> overrides)
      throws SQLException {
    this.infrastructure = infrastructure;
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String schema = "envmon_api_it_" + run;
    postgresSchema = schema;
    try (Connection connection =
            DriverManager.getConnection(
                infrastructure.postgresJdbcUrl(),
                infrastructure.postgresUser(),
                infrastructure.postgresPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    pointsTopic = "envmon.points.v1.it-" + run;
    reviewMarksTopic = "envmon.review-marks.v1.it-" + run;
    influxDatabase = "envmon_api_it_" + run;
    alertsTopic = "envmon.alerts.v1.it-" + run;
    createTopic(infrastructure.kafkaBootstrap(), alertsTopic);
    readingsTopic = "envmon.readings.v1.it-" + run;
    createTopic(infrastructure.kafkaBootstrap(), readingsTopic);
    try (InfluxDB influx = InfluxDBFactory.connect(infrastructure.influxUrl())) {
      ReadingStore.setUp(
          influxDatabase,
          Optional.of(TEST_RAW_RETENTION),
          statement -> {
            QueryResult result = influx.query(new Query(statement, null, true));
            return Optional.ofNullable(result.getError())
                .or(
                    () ->
                        result.getResults().stream()
                            .map(QueryResult.Result::getError)
                            .filter(java.util.Objects::nonNull)
                            .findFirst());
          });
    }
    Map<String, Object> properties =
        new java.util.HashMap<>(
            Map.ofEntries(
                Map.entry("micronaut.server.port", -1),
                Map.entry(
                    "datasources.default.url",
                    withSchema(infrastructure.postgresJdbcUrl(), schema)),
                Map.entry("datasources.default.username", infrastructure.postgresUser()),
                Map.entry("datasources.default.password", infrastructure.postgresPassword()),
                Map.entry("envmon.kafka.bootstrap-servers", infrastructure.kafkaBootstrap()),
                Map.entry("envmon.registry.data-file", "classpath:demo/cluster.json"),
                Map.entry("envmon.registry.points-topic", pointsTopic),
                Map.entry("envmon.registry.outbox-poll-interval", "200ms"),
                Map.entry("envmon.review.marks-topic", reviewMarksTopic),
                Map.entry("envmon.alerts.topic", alertsTopic),
                Map.entry("envmon.latest.topic", readingsTopic),
                Map.entry("envmon.alerts.consumer-group", "envmon-api-it-" + run),
                Map.entry("envmon.alerts.stream-heartbeat-interval", "1s"),
                // SSE streams get their events from PostgreSQL's notices (AlertEventNotices):
                // with the fallback poll this slow, a test waiting for an event tests the notice
                Map.entry("envmon.alerts.stream-poll-interval", "60s"),
                Map.entry("envmon.alerts.mqtt.broker-url", infrastructure.mqttUrl()),
                Map.entry("envmon.alerts.mqtt.client-id", "envmon-api-it-" + run),
                // the MQTT publisher too (AlertsMqttIT)
                Map.entry("envmon.alerts.mqtt.poll-interval", "60s"),
                // fast retries: 200 ms, 400 ms, 800 ms, then a dead letter
                Map.entry("envmon.webhooks.poll-interval", "100ms"),
                Map.entry("envmon.webhooks.timeout", "5s"),
                Map.entry("envmon.webhooks.max-attempts", 4),
                Map.entry("envmon.webhooks.initial-backoff", "200ms"),
                Map.entry("envmon.webhooks.max-backoff", "1s"),
                // the tests' receivers listen on loopback, which webhooks may not call by default
                Map.entry("envmon.webhooks.allowed-targets", "127.0.0.1"),
                // bcrypt's lowest cost: the tests log in ~90 times and the demo users are hashed
                // at every start; production keeps 12 (PasswordHasherTest)
                Map.entry("envmon.security.password-hash-cost", 4),
                // exports read 1,000 stored rows a page, so the ITs' few thousand cross pages
                Map.entry("envmon.export.page-rows", 1000),
                // imports at full speed and their progress written often: the ITs' files are small
                Map.entry("envmon.imports.readings-per-second", 100_000),
                Map.entry("envmon.imports.progress-interval", "100ms"),
                // every IT of the JVM calls the public API from 127.0.0.1
                Map.entry("envmon.public.requests-per-minute", 500),
                Map.entry("envmon.influx.url", infrastructure.influxUrl()),
                Map.entry("envmon.retention.raw", TEST_RAW_RETENTION.toHours() + "h"),
                // the rollup sweeps when a test asks it to (RetentionIT), not in the background
                Map.entry("envmon.retention.sweep-interval", "1h"),
                Map.entry("envmon.influx.database", influxDatabase),
                Map.entry("envmon.security.jwt-secret", "test-secret-" + UUID.randomUUID())));
    properties.putAll(overrides);
    server = ApplicationContext.run(EmbeddedServer.class, properties);
    client = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
  }

  /** The server of this JVM, started on first use. */
  public static synchronized ApiTestServer start(Infrastructure infrastructure)
      throws SQLException {
    if (instance == null) {
      instance = new ApiTestServer(infrastructure, Map.of());
    }
    return instance;
  }

  /**
   * A server of its own (not the JVM's shared one), with its own schema, topics and database and
   * these properties laid over the test defaults; the caller stops it (benchmarks).
   */
  public static ApiTestServer startPrivate(
      Infrastructure infrastructure, Map<String, Object> overrides) throws SQLException {
    return new ApiTestServer(infrastructure, overrides);
  }

  public BlockingHttpClient http() {
    return client.toBlocking();
  }

  /** A bearer token of a demo user (demo/cluster.json: password "demo-" + username). */
  public String tokenOf(String username) {
    Map<?, ?> response =
        http()
            .retrieve(
                HttpRequest.POST(
                    "/api/v1/login", Map.of("username", username, "password", "demo-" + username)),
                Map.class);
    return (String) response.get("access_token");
  }

  /** Creates the topic before the API subscribes, so the consumer sees it at once. */
  private static void createTopic(String bootstrap, String topic) {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + topic, e);
    }
  }

  /** A connection to PostgreSQL in this server's schema, for a test to look at its tables. */
  public Connection database() throws SQLException {
    return DriverManager.getConnection(
        withSchema(infrastructure.postgresJdbcUrl(), postgresSchema),
        infrastructure.postgresUser(),
        infrastructure.postgresPassword());
  }

  private static String withSchema(String jdbcUrl, String schema) {
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
