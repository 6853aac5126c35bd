package io.envmon.jobs;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.persist.InfluxDbSink;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.RatioSettings;
import io.envmon.jobs.ratio.SharingRatioJob;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline of {@link StreamJobsMain} — Kafka sources, every job, Kafka and InfluxDB sinks
 * — run bounded in a MiniCluster against the real servers.
 */
@WithRealInfrastructure
class StreamJobsIT {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String readings = "it-readings-" + suffix;
  private final String points = "it-points-" + suffix;
  private final String deadLetters = "it-deadletter-" + suffix;
  private final String alerts = "it-alerts-" + suffix;
  private final String ratios = "it-ratios-" + suffix;
  private final String database = "it_jobs_" + suffix;
  private Infrastructure infra;

  @AfterEach
  void dropDatabase() {
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      influx.query(new Query("DROP DATABASE \"" + database + "\""));
    }
  }

  @Test
  void aHeavyAirEpisodeInOneCityReachesTheOtherCityAndEveryJobWritesItsOutput(Infrastructure infra)
      throws Exception {
    this.infra = infra;
    // readings of 2025: a raw retention that keeps them (the sink leaves an existing policy)
    InfluxDbSink.setUp(infra.influxUrl(), database, Optional.of(Duration.ofDays(3650)));
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(readings, 2, (short) 1),
                  new NewTopic(points, 1, (short) 1),
                  new NewTopic(deadLetters, 1, (short) 1),
                  new NewTopic(alerts, 1, (short) 1),
                  new NewTopic(ratios, 1, (short) 1)))
          .all()
          .get();
    }
    MonitoringPoint wujiang = air("wujiang", "wujiang-air-01");
    MonitoringPoint kunshan = air("kunshan", "kunshan-air-01");
    produce(points, wujiang.id(), MonitoringPointJson.encode(wujiang));
    produce(points, kunshan.id(), MonitoringPointJson.encode(kunshan));
    for (int minute = 0; minute < 120; minute += 20) {
      Instant at = T0.plus(Duration.ofMinutes(minute));
      produce(
          readings,
          wujiang.id(),
          AcceptedReadingJson.encode(
              reading(
                  "wujiang",
                  wujiang.id(),
                  PointKind.AIR,
                  at,
                  Measurement.valid(Parameter.PM25, 170 + minute % 40))));
      produce(
          readings,
          kunshan.id(),
          AcceptedReadingJson.encode(
              reading(
                  "kunshan",
                  kunshan.id(),
                  PointKind.AIR,
                  at,
                  Measurement.valid(Parameter.PM25, 20 + minute % 7))));
    }
    produce(readings, "x", "{\"readingId\":".getBytes(StandardCharsets.UTF_8));

    KafkaEndpoints kafka =
        new KafkaEndpoints(
            infra.kafkaBootstrap(), "it-jobs-" + suffix, true, DeliveryGuarantee.AT_LEAST_ONCE);
    StreamJobs jobs =
        new StreamJobs(
            kafka.readings(readings),
            kafka.points(points),
            kafka.sink(deadLetters, "it-dl-" + suffix, StreamJobsMain.deadLetterRecord()),
            PersistJob.influxStore(infra.influxUrl(), database, 50),
            kafka.sink(alerts, "it-alerts-" + suffix, StreamJobsMain.alertRecord()),
            new InfluxDbSink<>(infra.influxUrl(), database, 10, new AlertPoints()),
            kafka.sink(ratios, "it-ratios-" + suffix, StreamJobsMain.ratioRecord()),
            SharingRatioJob.influxHistory(infra.influxUrl(), database));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    jobs.attach(
        env,
        ArrivalClock.defaults(),
        AlertSettings.defaults(List.of("wujiang", "kunshan")),
        RatioSettings.defaults("cluster", List.of("wujiang", "kunshan")));
    env.execute("it-stream-jobs");

    List<Alert> published = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consume(alerts, 1)) {
      Alert alert = decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(alert.alertId());
      published.add(alert);
    }
    assertThat(published)
        .filteredOn(a -> a.type() == AlertType.AIR_QUALITY)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.cityId()).isEqualTo("wujiang");
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
            });
    assertThat(published)
        .filteredOn(a -> a.type() == AlertType.JOINT)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.cityId()).isEqualTo("kunshan");
              assertThat(a.originCityId()).isEqualTo("wujiang");
              assertThat(a.originPointId()).isEqualTo("wujiang-air-01");
            });
    assertThat(consume(ratios, 1))
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .anySatisfy(json -> assertThat(json).contains("\"scope\":\"cluster\""));
    assertThat(consume(deadLetters, 1)).hasSize(1);

    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      assertThat(single(influx, "SELECT count(pm25) FROM \"raw\".reading")).isEqualTo(12.0);
      assertThat(single(influx, "SELECT count(alert_id) FROM alert WHERE type = 'JOINT'"))
          .isEqualTo(1.0);
      assertThat(single(influx, "SELECT count(air_den) FROM sharing_ratio WHERE scope = 'cluster'"))
          .isGreaterThan(0.0);
    }
  }

  private static Alert decode(byte[] value) {
    try {
      return AlertJson.decode(value);
    } catch (DecodeException e) {
      throw new AssertionError(e);
    }
  }

  private void produce(String topic, String key, byte[] value) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
  }

  /** Everything in the topic, awaiting at least {@code atLeast} records. */
  private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int atLeast) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return records.size() >= atLeast;
              });
      // Drain what is left: the job has finished, so the topic no longer grows.
      int polled;
      do {
        List<ConsumerRecord<byte[], byte[]>> more = new ArrayList<>();
        consumer.poll(Duration.ofMillis(500)).forEach(more::add);
        records.addAll(more);
        polled = more.size();
      } while (polled > 0);
    }
    return records;
  }

  private double single(InfluxDB influx, String query) {
    QueryResult result = influx.query(new Query(query, database));
    QueryResult.Result first = result.getResults().get(0);
    assertThat(first.hasError()).as(first.getError()).isFalse();
    assertThat(first.getSeries()).as(query).isNotNull();
    return ((Number) first.getSeries().get(0).getValues().get(0).get(1)).doubleValue();
  }
}
