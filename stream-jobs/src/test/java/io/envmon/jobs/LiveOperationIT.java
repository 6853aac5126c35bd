package io.envmon.jobs;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Readings.arrivedAt;
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
import io.envmon.domain.ratio.FreshnessWindows;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.alert.TunedAlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.jobs.persist.InfluxDbSink;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.RatioSettings;
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
 * Three hours of live operation on a platform clock 120 times faster than real time, whole pipeline
 * against real Kafka and InfluxDB (the test plays the cities' gateways: it stamps each reading's
 * arrival with the same clock the jobs run on). Stations report every 5 minutes with quiet minutes
 * between; one station falls silent for an hour; kunshan's gateway is cut off from Kafka for two
 * hours and then drains its spool, with a PM2.5 episode inside; jiaxing has stations whose clocks
 * are 8 h ahead, 10 min ahead and a day behind. Afterwards the invariants of issue 12 are checked
 * against an independent computation from the readings sent.
 */
@WithRealInfrastructure
class LiveOperationIT {

  private static final long SCALE = 120;
  private static final Duration STEP = Duration.ofMinutes(5);
  private static final Duration AIR_WINDOW = Duration.ofMinutes(30);
  private static final Duration ALLOWANCE = Duration.ofMinutes(2);
  private static final Duration SETTLE = Duration.ofMinutes(2);

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String readingsTopic = "it-live-readings-" + suffix;
  private final String pointsTopic = "it-live-points-" + suffix;
  private final String deadLetters = "it-live-deadletter-" + suffix;
  private final String alertsTopic = "it-live-alerts-" + suffix;
  private final String ratiosTopic = "it-live-ratios-" + suffix;
  private final String database = "it_live_" + suffix;
  private Infrastructure infra;
  private JobClient job;

  private static final MonitoringPoint W1 = air("wujiang", "wujiang-air-01");
  private static final MonitoringPoint W2 = air("wujiang", "wujiang-air-02"); // silent an hour
  private static final MonitoringPoint K1 = air("kunshan", "kunshan-air-01"); // episode in backlog
  private static final MonitoringPoint K2 = air("kunshan", "kunshan-air-02");
  private static final MonitoringPoint J1 = air("jiaxing", "jiaxing-air-01");
  private static final MonitoringPoint J2 = air("jiaxing", "jiaxing-air-02"); // a day behind
  private static final MonitoringPoint J3 = air("jiaxing", "jiaxing-air-03"); // 8 h ahead
  private static final MonitoringPoint J4 = air("jiaxing", "jiaxing-air-04"); // 10 min ahead
  private static final List<MonitoringPoint> POINTS = List.of(W1, W2, K1, K2, J1, J2, J3, J4);

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
    for (MonitoringPoint point : POINTS) {
      produce(pointsTopic, point.id(), MonitoringPointJson.encode(point));
    }
    // The platform clock stands still at a clock hour while the jobs start and read the registry.
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
    ScaledClock clock = ScaledClock.frozenAt(start, SCALE);
    job = startJobs(clock);
    awaitRunning(job);
    clock.start();

    List<AcceptedReading> sent = new ArrayList<>();
    List<AcceptedReading> spool = new ArrayList<>(); // kunshan's gateway, cut off from Kafka
    Instant cutOff = start.plus(Duration.ofMinutes(30));
    Instant reconnect = start.plus(Duration.ofMinutes(150));
    Instant end = start.plus(Duration.ofMinutes(185));
    Map<String, Instant> newestBeforeBackFill = Map.of();
    int step = 0;
    for (Instant t = start; !t.isAfter(end); t = t.plus(STEP), step++) {
      Thread.sleep(clock.realTimeUntil(t).toMillis());
      if (t.equals(reconnect)) {
        newestBeforeBackFill = newestRatioPerCity();
        for (AcceptedReading spooled : spool) {
          send(spooled, sent);
        }
        spool.clear();
      }
      double normal = 30 + step % 7;
      boolean w2Silent =
          !t.isBefore(start.plus(Duration.ofMinutes(20)))
              && t.isBefore(start.plus(Duration.ofMinutes(80)));
      boolean episode =
          !t.isBefore(start.plus(Duration.ofMinutes(60)))
              && t.isBefore(start.plus(Duration.ofMinutes(120)));
      boolean kunshanCutOff = !t.isBefore(cutOff) && t.isBefore(reconnect);
      Instant now = clock.instant();
      send(station(W1, t, normal, now), sent);
      if (!w2Silent) {
        send(station(W2, t, normal + 1, now), sent);
      }
      for (AcceptedReading k :
          List.of(
              station(K1, t, episode ? 300 + step % 5 : normal, now),
              station(K2, t, normal, now))) {
        if (kunshanCutOff) {
          spool.add(k);
        } else {
          send(k, sent);
        }
      }
      send(station(J1, t, normal, now), sent);
      send(station(J2, t.minus(Duration.ofDays(1)), normal, now), sent);
      send(station(J3, t.plus(Duration.ofHours(8)), normal, now), sent);
      send(station(J4, t.plus(Duration.ofMinutes(10)), normal, now), sent);
    }
    Instant lastStep = end;

    // Every city's ratio kept pace while kunshan was cut off.
    for (String city : List.of("wujiang", "kunshan", "jiaxing")) {
      assertThat(newestBeforeBackFill.get(city))
          .as("newest %s ratio published before kunshan's back-fill", city)
          .isAfterOrEqualTo(reconnect.minus(ALLOWANCE).minus(SETTLE).minus(Duration.ofMinutes(6)));
    }
    // The last readings are in every minute's ratio, and the last hour rated.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> clock.instant().isAfter(lastStep.plus(Duration.ofMinutes(30))));
    Instant finished = clock.instant();

    List<Alert> alerts = alerts();
    checkOneActiveAlertPerPointAndTypeAtEveryMoment(alerts);
    assertThat(alerts)
        .as("nothing dated after the platform clock")
        .allSatisfy(
            a -> {
              assertThat(a.startedAt()).isBeforeOrEqualTo(finished);
              assertThat(a.updatedAt()).isBeforeOrEqualTo(finished);
              assertThat(a.detectedAt()).isBeforeOrEqualTo(finished);
            });

    List<Alert> offline =
        alerts.stream().filter(a -> a.type() == AlertType.DEVICE_OFFLINE).toList();
    assertThat(offline)
        .extracting(Alert::pointId, Alert::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(W2.id(), AlertState.RAISED),
            org.assertj.core.groups.Tuple.tuple(W2.id(), AlertState.CLEARED),
            org.assertj.core.groups.Tuple.tuple(K1.id(), AlertState.RAISED),
            org.assertj.core.groups.Tuple.tuple(K1.id(), AlertState.CLEARED),
            org.assertj.core.groups.Tuple.tuple(K2.id(), AlertState.RAISED),
            org.assertj.core.groups.Tuple.tuple(K2.id(), AlertState.CLEARED));
    assertThat(offline)
        .filteredOn(a -> a.pointId().equals(K1.id()) && a.state() == AlertState.CLEARED)
        .singleElement()
        .satisfies(a -> assertThat(a.values()).containsEntry("dataGapMinutes", 5.0));

    List<Alert> air = alerts.stream().filter(a -> a.type() == AlertType.AIR_QUALITY).toList();
    assertThat(air).extracting(Alert::pointId).containsOnly(K1.id());
    assertThat(air).extracting(Alert::state).containsExactly(AlertState.RAISED, AlertState.CLEARED);
    Alert raised = air.get(0);
    assertThat(raised.delayed()).as("found in the back-fill: delayed").isTrue();
    assertThat(raised.startedAt()).isEqualTo(start.plus(Duration.ofMinutes(120)));
    assertThat(raised.detectedAt()).isAfterOrEqualTo(reconnect.minus(ALLOWANCE));
    assertThat(raised.messageZh()).contains("迟到数据");
    assertThat(alerts)
        .filteredOn(a -> a.type() == AlertType.JOINT)
        .extracting(Alert::cityId)
        .containsOnly("wujiang", "jiaxing");
    assertThat(alerts)
        .extracting(Alert::type)
        .containsOnly(AlertType.DEVICE_OFFLINE, AlertType.AIR_QUALITY, AlertType.JOINT);

    // Every minute's ratio equals an independent computation from the readings sent.
    Map<String, TreeMap<Instant, Integer>> published = ratioNumerators();
    Instant from = start;
    int checked = 0;
    for (String city : List.of("wujiang", "kunshan", "jiaxing")) {
      TreeMap<Instant, Integer> byMinute = published.get(city);
      assertThat(byMinute.lastKey())
          .as(
              "newest %s ratio trails the platform clock by at most allowance + settle + 6 min",
              city)
          .isAfterOrEqualTo(finished.minus(ALLOWANCE).minus(SETTLE).minus(Duration.ofMinutes(6)));
      for (Map.Entry<Instant, Integer> minute : byMinute.tailMap(from).entrySet()) {
        if (minute.getKey().isAfter(lastStep.plus(AIR_WINDOW))) {
          continue;
        }
        assertThat(minute.getValue())
            .as("%s air numerator at %s", city, minute.getKey())
            .isEqualTo(expectedNumerator(sent, city, minute.getKey()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(3 * 150);
  }

  /** CLUSTER-shared ACTIVE points of {@code city} with a valid reading observed in the window. */
  private static int expectedNumerator(List<AcceptedReading> sent, String city, Instant at) {
    Instant since = at.minus(AIR_WINDOW);
    return (int)
        sent.stream()
            .filter(r -> r.cityId().equals(city))
            .filter(
                r -> !r.credibleObservedAt().isBefore(since) && !r.credibleObservedAt().isAfter(at))
            .map(r -> r.reading().pointId())
            .distinct()
            .count();
  }

  private static void checkOneActiveAlertPerPointAndTypeAtEveryMoment(List<Alert> alerts) {
    Map<String, String> activeByPointAndType = new HashMap<>();
    for (Alert alert : alerts) {
      String key = alert.pointId() + "|" + alert.type() + "|" + alert.cityId();
      String active = activeByPointAndType.get(key);
      if (alert.state() == AlertState.CLEARED) {
        activeByPointAndType.remove(key, alert.alertId());
      } else {
        assertThat(active).as("another active alert of %s", key).isIn(null, alert.alertId());
        activeByPointAndType.put(key, alert.alertId());
      }
    }
  }

  private static AcceptedReading station(
      MonitoringPoint point, Instant observedAt, double pm25, Instant receivedAt) {
    return arrivedAt(
        reading(
            point.cityId(),
            point.id(),
            PointKind.AIR,
            observedAt,
            Measurement.valid(Parameter.PM25, pm25),
            Measurement.valid(Parameter.PM10, pm25 * 1.5)),
        receivedAt);
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
    List<String> cities = List.of("wujiang", "kunshan", "jiaxing");
    FreshnessWindows windows =
        new FreshnessWindows(AIR_WINDOW, Duration.ofHours(8), Duration.ofHours(2));
    jobs.attach(
        env,
        new ArrivalClock(ALLOWANCE, Duration.ofMinutes(2), Duration.ofMinutes(1), clock),
        TunedAlertSettings.of(cities)
            .freshness(windows.air(), windows.water(), windows.noise())
            .settle(SETTLE)
            .build(),
        RatioSettings.defaults("cluster", cities).withWindows(windows).withSettle(SETTLE));
    return env.executeAsync("it-live-operation");
  }

  private static void awaitRunning(JobClient job) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING);
  }

  private void send(AcceptedReading reading, List<AcceptedReading> sent) throws Exception {
    produce(readingsTopic, reading.reading().pointId(), AcceptedReadingJson.encode(reading));
    sent.add(reading);
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
