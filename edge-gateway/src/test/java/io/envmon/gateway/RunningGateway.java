package io.envmon.gateway;

import static org.awaitility.Awaitility.await;

import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.gateway.spool.FsyncPolicy;
import io.envmon.testsupport.Infrastructure;
import java.nio.file.Path;
import java.time.Clock;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real gateway for an integration test: its own city id and Kafka topics (so tests sharing the
 * servers do not see each other), points published on the registry topic, and a consumer reading
 * what the gateway forwarded.
 */
public final class RunningGateway implements AutoCloseable {

  public final String cityId;
  public final String readingsTopic;
  public final String pointsTopic;
  public final Gateway gateway;
  private final Infrastructure infrastructure;
  private final KafkaConsumer<String, byte[]> readings;
  private final List<AcceptedReading> forwarded = new ArrayList<>();

  private RunningGateway(Infrastructure infrastructure, Path spoolDir, GatewayConfig config)
      throws Exception {
    this.infrastructure = infrastructure;
    this.cityId = config.cityId();
    this.readingsTopic = config.readingsTopic();
    this.pointsTopic = config.pointsTopic();
    this.gateway = new Gateway(config, Clock.systemUTC());
    this.readings =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infrastructure.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    readings.subscribe(List.of(readingsTopic));
  }

  /** The configuration of a test gateway; {@code overrides} are property keys as in the file. */
  public static GatewayConfig config(
      Infrastructure infrastructure, Path spoolDir, Map<String, String> overrides) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("city.id", "itc" + run);
    properties.setProperty("gateway.id", "gw-" + run);
    properties.setProperty("mqtt.url", infrastructure.mqttUrl());
    properties.setProperty("kafka.bootstrap", infrastructure.kafkaBootstrap());
    properties.setProperty("kafka.topic.readings", "it.readings." + run);
    properties.setProperty("kafka.topic.points", "it.points." + run);
    properties.setProperty("kafka.topic.deadletter", "it.deadletter." + run);
    properties.setProperty("spool.dir", spoolDir.toString());
    properties.setProperty("spool.cap.bytes", Long.toString(64L << 20));
    properties.setProperty("spool.segment.bytes", Long.toString(1L << 20));
    properties.setProperty("spool.fsync", FsyncPolicy.EVERY_APPEND.name());
    properties.setProperty("hj212.port", "0");
    properties.setProperty("coap.port", "0");
    properties.setProperty("health.port", "0");
    overrides.forEach(properties::setProperty);
    return GatewayConfig.fromProperties(properties, Map.of());
  }

  /** Creates the gateway's topics and publishes {@code points} on its registry topic. */
  public static void prepareKafka(
      Infrastructure infrastructure, GatewayConfig config, List<MonitoringPoint> points)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap()))) {
      try {
        admin
            .createTopics(
                List.of(
                    new NewTopic(config.readingsTopic(), 1, (short) 1),
                    new NewTopic(config.deadLetterTopic(), 1, (short) 1),
                    new NewTopic(config.pointsTopic(), 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact"))))
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (MonitoringPoint point : points) {
        producer
            .send(
                new ProducerRecord<>(
                    config.pointsTopic(), point.id(), MonitoringPointJson.encode(point)))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Creates the topics, publishes {@code points} and starts the gateway once it knows them. */
  public static RunningGateway start(
      Infrastructure infrastructure, GatewayConfig config, List<MonitoringPoint> points)
      throws Exception {
    prepareKafka(infrastructure, config, points);
    RunningGateway running = new RunningGateway(infrastructure, config.spoolDirectory(), config);
    running.gateway.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> running.gateway.registry().size() >= points.size());
    return running;
  }

  /** Waits until Kafka holds a reading of {@code pointId} matching and returns it. */
  public AcceptedReading awaitForwarded(java.util.function.Predicate<AcceptedReading> wanted) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (ConsumerRecord<String, byte[]> record : readings.poll(Duration.ofMillis(200))) {
                try {
                  AcceptedReading reading = AcceptedReadingJson.decode(record.value());
                  if (!record.key().equals(reading.reading().pointId())) {
                    throw new AssertionError("record key " + record.key() + " is not the point id");
                  }
                  forwarded.add(reading);
                } catch (DecodeException e) {
                  throw new AssertionError("the gateway forwarded an undecodable reading", e);
                }
              }
              return forwarded.stream().filter(wanted).findFirst().orElse(null);
            },
            r -> r != null);
  }

  public List<AcceptedReading> forwardedSoFar() {
    return List.copyOf(forwarded);
  }

  public Infrastructure infrastructure() {
    return infrastructure;
  }

  @Override
  public void close() {
    gateway.close();
    readings.close();
  }

  /** Reads the AcceptedReadings of a readings topic from its beginning. */
  public static final class ReadingsConsumer implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;

    public ReadingsConsumer(Infrastructure infrastructure, String topic) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  infrastructure.kafkaBootstrap(),
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "it-" + UUID.randomUUID(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest",
                  ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                  StringDeserializer.class,
                  ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                  ByteArrayDeserializer.class));
      consumer.subscribe(List.of(topic));
    }

    public List<AcceptedReading> poll() throws DecodeException {
      List<AcceptedReading> readings = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        readings.add(AcceptedReadingJson.decode(record.value()));
      }
      return readings;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
