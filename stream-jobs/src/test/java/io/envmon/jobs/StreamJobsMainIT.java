package io.envmon.jobs;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.wire.KafkaTopics;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamJobsMain} as configured for production — the contract's topics, exactly-once
 * checkpoints to the local file system, transactional Kafka sinks — runs in a MiniCluster and
 * delivers what it reads.
 */
@WithRealInfrastructure
class StreamJobsMainIT {

  @Test
  void theMainClassPersistsReadingsAndCommitsDeadLettersExactlyOnce(
      Infrastructure infra, @TempDir Path checkpoints) throws Exception {
    String suffix = UUID.randomUUID().toString().replace("-", "");
    String database = "it_main_" + suffix;
    String pointId = "it-air-" + suffix.substring(0, 12);
    ContractTopics.create(infra.kafkaBootstrap());
    Properties properties = new Properties();
    properties.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
    properties.setProperty("envmon.kafka.group", "it-main-" + suffix);
    properties.setProperty("envmon.influx.url", infra.influxUrl());
    properties.setProperty("envmon.influx.database", database);
    properties.setProperty("envmon.checkpoint.dir", checkpoints.toUri().toString());
    properties.setProperty("envmon.checkpoint.interval", "PT1S");
    properties.setProperty("envmon.parallelism", "1");
    StreamJobsSettings settings = StreamJobsSettings.from(properties, Map.of());
    assertThat(settings.exactlyOnce()).isTrue();

    JobClient job = StreamJobsMain.start(settings);
    try {
      Instant observedAt = Instant.now().minusSeconds(60);
      byte[] garbage = ("garbage " + suffix).getBytes(StandardCharsets.UTF_8);
      produce(
          infra,
          AcceptedReadingJson.encode(
              reading(
                  "itcity",
                  pointId,
                  PointKind.AIR,
                  observedAt,
                  Measurement.valid(Parameter.PM25, 42.5))));
      produce(infra, garbage);

      try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    count(
                            influx,
                            database,
                            "SELECT count(pm25) FROM \"raw\".reading WHERE point = '"
                                + pointId
                                + "'")
                        == 1);
      }
      String garbageBase64 = Base64.getEncoder().encodeToString(garbage);
      assertThat(committedDeadLetters(infra, garbageBase64))
          .filteredOn(json -> json.contains(garbageBase64))
          .singleElement()
          .satisfies(json -> assertThat(json).contains("\"reason\":"));
    } finally {
      job.cancel().get();
      try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
  }

  private static void produce(Infrastructure infra, byte[] value) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(KafkaTopics.READINGS, null, value)).get();
    }
  }

  private static long count(InfluxDB influx, String database, String query) {
    QueryResult.Result result = influx.query(new Query(query, database)).getResults().get(0);
    if (result.hasError() || result.getSeries() == null) {
      return 0;
    }
    return ((Number) result.getSeries().get(0).getValues().get(0).get(1)).longValue();
  }

  /** Dead letters as a read_committed consumer sees them: only after the sink's checkpoint. */
  private static List<String> committedDeadLetters(Infrastructure infra, String expected) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-main-dl-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(KafkaTopics.DEADLETTER));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(500))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                return values.stream().anyMatch(v -> v.contains(expected));
              });
    }
    return values;
  }
}
