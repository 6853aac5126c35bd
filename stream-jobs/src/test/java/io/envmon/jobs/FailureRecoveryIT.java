package io.envmon.jobs;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.ingest.Topics;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
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
 * The jobs are cancelled mid-episode and restarted from their last checkpoint: no reading is lost
 * or duplicated in InfluxDB, and the alert that was active is not raised again — it clears under
 * its original id.
 */
@WithRealInfrastructure
class FailureRecoveryIT {

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String pointId = "rc-air-" + suffix.substring(0, 12);
  private final String database = "it_recovery_" + suffix;
  // After "now", so that other tests' readings on the shared topic never make these late.
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
  private Infrastructure infra;

  @Test
  void restoringFromTheCheckpointLosesNoReadingAndRaisesNoActiveAlertAgain(
      Infrastructure infra, @TempDir Path checkpoints) throws Exception {
    this.infra = infra;
    createContractTopics();
    Properties properties = new Properties();
    properties.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
    properties.setProperty("envmon.kafka.group", "it-recovery-" + suffix);
    properties.setProperty("envmon.influx.url", infra.influxUrl());
    properties.setProperty("envmon.influx.database", database);
    properties.setProperty("envmon.checkpoint.dir", checkpoints.toUri().toString());
    properties.setProperty("envmon.checkpoint.interval", "PT1S");
    properties.setProperty("envmon.out-of-orderness", "PT1S");
    properties.setProperty("envmon.parallelism", "1");

    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      JobClient first = StreamJobsMain.start(StreamJobsSettings.from(properties, Map.of()));
      try {
        pm25(10, 180);
        pm25(30, 180);
        pm25(50, 180);
        pm25(65, 180); // moves event time past the first hour: AQI 230 raises the alert
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> airAlerts().stream().anyMatch(a -> a.state() == AlertState.RAISED));
        await().atMost(Duration.ofSeconds(60)).until(() -> readingCount(influx) == 4);
      } finally {
        first.cancel().get();
      }

      pm25(90, 180); // hour 2 still heavy: no new event
      pm25(130, 40);
      pm25(160, 40);
      pm25(185, 40); // hour 3 recovered: clears
      properties.setProperty("envmon.restore-from", latestCheckpoint(checkpoints).toString());
      JobClient second = StreamJobsMain.start(StreamJobsSettings.from(properties, Map.of()));
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> airAlerts().stream().anyMatch(a -> a.state() == AlertState.CLEARED));
        await().atMost(Duration.ofSeconds(60)).until(() -> readingCount(influx) == 8);
      } finally {
        second.cancel().get();
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }

    List<Alert> events = airAlerts();
    assertThat(events)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(events.get(1).alertId()).isEqualTo(events.get(0).alertId());
    assertThat(events.get(0).startedAt()).isEqualTo(t0.plus(Duration.ofHours(1)));
  }

  private void createContractTopics() throws Exception {
    ContractTopics.create(infra.kafkaBootstrap());
  }

  private void pm25(int minutes, double value) throws Exception {
    Instant at = t0.plus(Duration.ofMinutes(minutes));
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.READINGS,
                  pointId.getBytes(StandardCharsets.UTF_8),
                  AcceptedReadingJson.encode(
                      reading(
                          "rc",
                          pointId,
                          PointKind.AIR,
                          at,
                          Measurement.valid(Parameter.PM25, value + minutes % 3)))))
          .get();
    }
  }

  private long readingCount(InfluxDB influx) {
    QueryResult.Result result =
        influx
            .query(
                new Query(
                    "SELECT count(pm25) FROM reading WHERE point = '" + pointId + "'", database))
            .getResults()
            .get(0);
    if (result.hasError() || result.getSeries() == null) {
      return 0;
    }
    return ((Number) result.getSeries().get(0).getValues().get(0).get(1)).longValue();
  }

  /** This point's AIR_QUALITY events, as a read_committed consumer sees them. */
  private List<Alert> airAlerts() throws DecodeException {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-recovery-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Alert> alerts = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.ALERTS));
      int empty = 0;
      while (empty < 3) {
        var records = consumer.poll(Duration.ofMillis(500));
        empty = records.isEmpty() ? empty + 1 : 0;
        for (var record : records) {
          Alert alert = AlertJson.decode(record.value());
          if (alert.pointId().equals(pointId) && alert.type() == AlertType.AIR_QUALITY) {
            alerts.add(alert);
          }
        }
      }
    }
    return alerts;
  }

  private static Path latestCheckpoint(Path checkpoints) throws IOException {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(
              Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new AssertionError("no completed checkpoint in " + checkpoints));
    }
  }
}
