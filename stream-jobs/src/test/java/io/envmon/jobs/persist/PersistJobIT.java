package io.envmon.jobs.persist;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.DeadLetter;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.ReadingIngest;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The persist job over real Kafka and InfluxDB, run bounded in a MiniCluster. */
@WithRealInfrastructure
class PersistJobIT {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String readingsTopic = "it-readings-" + suffix;
  private final String deadLetterTopic = "it-deadletter-" + suffix;
  private final String database = "it_persist_" + suffix;
  private Infrastructure infra;

  @BeforeEach
  void createTopics(Infrastructure infra) throws Exception {
    this.infra = infra;
    // readings of 2025: a raw retention that keeps them (the sink leaves an existing policy)
    InfluxDbSink.setUp(infra.influxUrl(), database, Optional.of(Duration.ofDays(3650)));
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(readingsTopic, 2, (short) 1),
                  new NewTopic(deadLetterTopic, 1, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterEach
  void dropDatabase() {
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      influx.query(new Query("DROP DATABASE \"" + database + "\""));
    }
  }

  @Test
  @DisplayName(
      "every reading lands once in InfluxDB, a replay overwrites, a flagged value keeps its flag,"
          + " garbage goes to the dead-letter topic")
  void readingsArePersistedIdempotentlyAndGarbageIsDeadLettered() throws Exception {
    AcceptedReading first =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            T0,
            Measurement.valid(Parameter.PM25, 35.2));
    AcceptedReading second =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            T0.plusSeconds(3600),
            Measurement.valid(Parameter.PM25, 118.5),
            new Measurement(Parameter.PM10, 999.0, DataFlag.D));
    AcceptedReading noise =
        reading(
            "kunshan", "kunshan-n-01", PointKind.NOISE, T0, Measurement.valid(Parameter.LEQ, 61.0));
    produce(
        List.of(
            AcceptedReadingJson.encode(first),
            AcceptedReadingJson.encode(second),
            AcceptedReadingJson.encode(noise),
            AcceptedReadingJson.encode(first), // replayed duplicate
            "not json".getBytes(StandardCharsets.UTF_8)));

    KafkaEndpoints kafka =
        new KafkaEndpoints(
            infra.kafkaBootstrap(), "it-persist-" + suffix, true, DeliveryGuarantee.AT_LEAST_ONCE);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    new PersistJob(PersistJob.influxStore(infra.influxUrl(), database, 2))
        .attach(
            ReadingIngest.readings(
                env,
                kafka.readings(readingsTopic),
                kafka.sink(deadLetterTopic, "it-dl-" + suffix, deadLetterBytes()),
                ArrivalClock.defaults()));
    env.execute("it-persist");

    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      List<List<Object>> air =
          rows(
              influx,
              "SELECT pm25, pm25_flag, pm10, pm10_flag, reading_id, source FROM \"raw\".reading"
                  + " WHERE point = 'wujiang-air-01' AND city = 'wujiang' AND kind = 'AIR'");
      assertThat(air).hasSize(2);
      assertThat(air.get(0))
          .containsExactly(
              T0.toString(), 35.2, "N", null, null, first.reading().readingId(), "MQTT");
      assertThat(air.get(1))
          .containsExactly(
              T0.plusSeconds(3600).toString(),
              118.5,
              "N",
              999.0,
              "D",
              second.reading().readingId(),
              "MQTT");
      assertThat(rows(influx, "SELECT leq FROM \"raw\".reading WHERE point = 'kunshan-n-01'"))
          .containsExactly(List.of(T0.toString(), 61.0));
    }
    List<String> deadLetters = deadLetters();
    assertThat(deadLetters).hasSize(1);
    assertThat(deadLetters.get(0))
        .contains("\"topic\":\"" + readingsTopic + "\"")
        .contains("\"reason\":")
        .contains("\"payloadBase64\":\"bm90IGpzb24=\"");
  }

  private static KafkaEndpoints.KeyedBytes<DeadLetter> deadLetterBytes() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(DeadLetter element) {
        return null;
      }

      @Override
      public byte[] value(DeadLetter element) {
        return element.toJson();
      }
    };
  }

  private void produce(List<byte[]> values) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(readingsTopic, null, value)).get();
      }
    }
  }

  private List<String> deadLetters() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dl-reader-" + suffix);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(deadLetterTopic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                return !values.isEmpty();
              });
    }
    return values;
  }

  private List<List<Object>> rows(InfluxDB influx, String query) {
    QueryResult result = influx.query(new Query(query, database));
    assertThat(result.hasError()).as(result.getError()).isFalse();
    QueryResult.Result first = result.getResults().get(0);
    assertThat(first.hasError()).as(first.getError()).isFalse();
    return first.getSeries() == null ? List.of() : first.getSeries().get(0).getValues();
  }
}
