package io.envmon.jobs;

import static org.awaitility.Awaitility.await;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.jobs.persist.InfluxDbSink;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.SharingRatioJob;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.ScaledClock;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveOperation}'s three hours of live operation on a platform clock 120 times faster than
 * real time, whole pipeline against real Kafka and InfluxDB (the test plays the cities' gateways:
 * it stamps each reading's arrival with the same clock the jobs run on). {@link
 * StreamJobsInMemoryTest} plays the same hours in memory with a stepped clock.
 */
@WithRealInfrastructure
class LiveOperationIT {

  private static final long SCALE = 120;

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String readingsTopic = "it-live-readings-" + suffix;
  private final String pointsTopic = "it-live-points-" + suffix;
  private final String deadLetters = "it-live-deadletter-" + suffix;
  private final String alertsTopic = "it-live-alerts-" + suffix;
  private final String ratiosTopic = "it-live-ratios-" + suffix;
  private final String database = "it_live_" + suffix;
  private Infrastructure infra;
  private JobClient job;

  @AfterEach
  void stop() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
    if (producer != null) {
      producer.close();
    }
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      influx.query(new Query("DROP DATABASE \"" + database + "\""));
    }
  }

  @Test
  void quietMinutesABackFillAndWrongClocksLeaveAlertsAndRatiosRight(Infrastructure infra)
      throws Exception {
    this.infra = infra;
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(readingsTopic, 2, (short) 1),
                  new NewTopic(pointsTopic, 1, (short) 1),
                  new NewTopic(deadLetters, 1, (short) 1),
                  new NewTopic(alertsTopic, 1, (short) 1),
                  new NewTopic(ratiosTopic, 1, (short) 1)))
          .all()
          .get();
    }
    for (MonitoringPoint point : LiveOperation.POINTS) {
      produce(pointsTopic, point.id(), MonitoringPointJson.encode(point));
    }
    // The platform clock stands still at a clock hour while the jobs start and read the registry.
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
    LiveOperation scenario = new LiveOperation(start);
    ScaledClock clock = ScaledClock.frozenAt(start, SCALE);
    job = startJobs(clock);
    awaitRunning(job);
    clock.start();

    Map<String, Instant> newestBeforeBackFill = Map.of();
    for (Instant t : scenario.steps()) {
      Thread.sleep(clock.realTimeUntil(t).toMillis());
      if (t.equals(scenario.reconnect())) {
        newestBeforeBackFill = newestRatioPerCity();
      }
      for (AcceptedReading reading : scenario.readingsAt(t, clock.instant())) {
        produce(readingsTopic, reading.reading().pointId(), AcceptedReadingJson.encode(reading));
      }
    }
    scenario.checkRatiosKeptPace(newestBeforeBackFill);
    // The last readings are in every minute's ratio, and the last hour rated.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> clock.instant().isAfter(scenario.end().plus(Duration.ofMinutes(30))));
    Instant finished = clock.instant();
    scenario.checkOutcome(alerts(), ratioNumerators(), finished);
  }

  private JobClient startJobs(ScaledClock clock) throws Exception {
    KafkaEndpoints kafka =
        new KafkaEndpoints(
            infra.kafkaBootstrap(), "it-live-" + suffix, false, DeliveryGuarantee.AT_LEAST_ONCE);
    StreamJobs jobs =
        new StreamJobs(
            kafka.readings(readingsTopic),
            kafka.points(pointsTopic),
            kafka.sink(deadLetters, "it-live-dl-" + suffix, StreamJobsMain.deadLetterRecord()),
            PersistJob.influxStore(infra.influxUrl(), database, 50),
            kafka.sink(alertsTopic, "it-live-alerts-" + suffix, StreamJobsMain.alertRecord()),
            new InfluxDbSink<>(infra.influxUrl(), database, 10, new AlertPoints()),
            kafka.sink(ratiosTopic, "it-live-ratios-" + suffix, StreamJobsMain.ratioRecord()),
            SharingRatioJob.influxHistory(infra.influxUrl(), database),
            RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), pointsTopic, Duration.ofSeconds(30)));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(2_000);
    jobs.attach(
        env,
        LiveOperation.arrivalClock(clock),
        LiveOperation.alertSettings(),
        LiveOperation.ratioSettings());
    return env.executeAsync("it-live-operation");
  }

  private static void awaitRunning(JobClient job) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING);
  }

  private KafkaProducer<byte[], byte[]> producer;

  private void produce(String topic, String key, byte[] value) throws Exception {
    if (producer == null) {
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  private List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumeAll(alertsTopic)) {
      try {
        alerts.add(AlertJson.decode(record.value()));
      } catch (DecodeException e) {
        throw new AssertionError(e);
      }
    }
    return alerts;
  }

  /** The newest row of each (city, minute): a correction overwrites, as in InfluxDB. */
  private Map<String, TreeMap<Instant, Integer>> ratioNumerators() {
    Map<String, TreeMap<Instant, Integer>> byCity = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : consumeAll(ratiosTopic)) {
      String json = new String(record.value(), StandardCharsets.UTF_8);
      String city = field(json, "\"cityId\":\"", "\"");
      Instant at = Instant.parse(field(json, "\"at\":\"", "\""));
      int numerator = Integer.parseInt(field(json, "\"air\":{\"numerator\":", ","));
      byCity.computeIfAbsent(city, c -> new TreeMap<>()).put(at, numerator);
    }
    return byCity;
  }

  private Map<String, Instant> newestRatioPerCity() {
    Map<String, Instant> newest = new HashMap<>();
    ratioNumerators().forEach((city, minutes) -> newest.put(city, minutes.lastKey()));
    return newest;
  }

  private static String field(String json, String before, String after) {
    int start = json.indexOf(before) + before.length();
    return json.substring(start, json.indexOf(after, start));
  }

  /** Every record the topic holds now, from its beginning. */
  private List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
