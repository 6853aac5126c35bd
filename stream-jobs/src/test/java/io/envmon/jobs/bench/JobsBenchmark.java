package io.envmon.jobs.bench;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.water.WaterClass;
import io.envmon.jobs.StreamJobs;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.DeadLetter;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.jobs.persist.InfluxDbSink;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.RatioSettings;
import io.envmon.jobs.ratio.SharingRatioJob;
import io.envmon.jobs.ratio.SharingRatioRecord;
import io.envmon.testsupport.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * The stream jobs' throughput and alert latency against real Kafka and InfluxDB ({@code ./envmon
 * bench jobs}).
 *
 * <p>Phase 1: {@code --readings N} air readings are produced to Kafka first, then every job runs in
 * a MiniCluster (parallelism 2) and the readings persisted in InfluxDB are counted until all N are
 * there: readings/s from the first to the last persisted one, and from job submission.
 *
 * <p>Phase 2: for {@code --seconds S} readings are produced at {@code --rate R}/s to water sections
 * alternating class V (raises WATER_CLASS) and class III (clears it), so every reading causes one
 * alert event; latency = the alert record's Kafka timestamp (when the jobs' sink sent it) minus the
 * reading's produce time, p50/p99. The Kafka sinks are at-least-once here (exactly-once would add
 * up to a checkpoint interval: alerts are visible to read_committed readers only after the
 * checkpoint).
 */
public final class JobsBenchmark {

  private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");
  private static final int AIR_POINTS = 200;
  private static final int SECTIONS = 50;

  private final Infrastructure infra;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final String readings = "bench-readings-" + suffix;
  private final String points = "bench-points-" + suffix;
  private final String alerts = "bench-alerts-" + suffix;
  private final String other = "bench-other-" + suffix;
  private final String database = "bench_jobs_" + suffix;

  private JobsBenchmark(Infrastructure infra) {
    this.infra = infra;
  }

  public static void main(String[] args) throws Exception {
    int readings = 200_000;
    int rate = 5_000;
    int seconds = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--readings" -> readings = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: JobsBenchmark [--readings N] [--rate R] [--seconds S]");
          System.exit(2);
        }
      }
    }
    String endpoints = System.getenv("ENVMON_INFRA_ENDPOINTS");
    if (endpoints == null) {
      System.err.println("ENVMON_INFRA_ENDPOINTS is not set (run it through ./envmon bench jobs)");
      System.exit(2);
    }
    System.out.printf(
        "bench jobs: %d readings pre-loaded, then %d readings/s for %d s; %d cores, Java %s%n",
        readings,
        rate,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    new JobsBenchmark(Infrastructure.fromEndpointsFile(Path.of(endpoints)))
        .run(readings, rate, seconds);
    System.exit(0);
  }

  private void run(int total, int rate, int seconds) throws Exception {
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(readings, 2, (short) 1),
                  new NewTopic(points, 1, (short) 1),
                  new NewTopic(alerts, 1, (short) 1),
                  new NewTopic(other, 1, (short) 1)))
          .all()
          .get();
    }
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (MonitoringPoint point : registry()) {
        producer.send(
            new ProducerRecord<>(points, bytes(point.id()), MonitoringPointJson.encode(point)));
      }
      long t = System.nanoTime();
      Random random = new Random(42);
      for (int k = 0; k < total; k++) {
        AcceptedReading reading =
            reading(
                "benchcity",
                air(k % AIR_POINTS),
                PointKind.AIR,
                T0.plus(Duration.ofMinutes(k / AIR_POINTS)),
                Measurement.valid(Parameter.PM25, 20 + random.nextInt(600) / 10.0));
        producer.send(
            new ProducerRecord<>(
                readings, bytes(reading.reading().pointId()), AcceptedReadingJson.encode(reading)));
      }
      producer.flush();
      System.out.printf(
          "pre-loaded %d readings into Kafka in %.1f s%n", total, (System.nanoTime() - t) / 1e9);
    }

    JobClient job = start();
    long submitted = System.nanoTime();
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      long first = 0;
      long last = 0;
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (count < total && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        long now = System.nanoTime();
        long previous = count;
        count = count(influx, "SELECT count(pm25) FROM \"raw\".reading");
        if (count > 0 && first == 0) {
          first = now;
        }
        if (count > previous) {
          last = now;
        }
        System.out.printf(
            "  persisted %d/%d (%.0f s since submission)%n", count, total, (now - submitted) / 1e9);
      }
      if (count != total) {
        System.out.printf("FAILED: %d of %d readings persisted within 15 min%n", count, total);
        job.cancel().get();
        System.exit(1);
      }
      System.out.printf(
          "phase 1: all %d readings persisted; %.0f readings/s from the first to the last counted"
              + " (1 s polling), %.0f readings/s from job submission (%.1f s, including start-up)%n",
          total,
          total / Math.max(1e-9, (last - first) / 1e9),
          total / ((last - submitted) / 1e9),
          (last - submitted) / 1e9);

      List<Long> latencies = alertLatencies(rate, seconds);
      Collections.sort(latencies);
      int injected = rate * seconds;
      System.out.printf(
          "phase 2: %d readings at %d/s; %d alert events matched to their reading; latency"
              + " p50 %d ms, p99 %d ms, max %d ms%n",
          injected,
          rate,
          latencies.size(),
          percentile(latencies, 50),
          percentile(latencies, 99),
          latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
      long all = total + (long) injected;
      long persisted = 0;
      long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (System.nanoTime() < until) {
        persisted =
            count(influx, "SELECT count(pm25) FROM \"raw\".reading")
                + count(influx, "SELECT count(nh3n) FROM \"raw\".reading");
        if (persisted >= all) {
          break;
        }
        Thread.sleep(1000);
      }
      System.out.printf("readings persisted in the end: %d of %d%n", persisted, all);
      influx.query(new Query("DROP DATABASE \"" + database + "\""));
      if (persisted != all || latencies.size() != injected) {
        System.out.println("FAILED: not every reading or alert is accounted for");
        job.cancel().get();
        System.exit(1);
      }
    } finally {
      job.cancel().get();
    }
  }

  private List<Long> alertLatencies(int rate, int seconds) throws Exception {
    Map<String, Long> producedAt = new ConcurrentHashMap<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    int injected = rate * seconds;
    Instant base = T0.plus(Duration.ofDays(30));
    Thread reader =
        new Thread(
            () -> {
              Properties config = new Properties();
              config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
              config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-alerts-" + suffix);
              config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
              try (KafkaConsumer<byte[], byte[]> consumer =
                  new KafkaConsumer<>(
                      config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(alerts));
                long until = System.nanoTime() + Duration.ofSeconds(seconds + 120L).toNanos();
                while (latencies.size() < injected && System.nanoTime() < until) {
                  for (ConsumerRecord<byte[], byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    Alert alert = AlertJson.decode(record.value());
                    if (alert.type() != AlertType.WATER_CLASS) {
                      continue;
                    }
                    Long sent =
                        producedAt.remove(alert.pointId() + "|" + alert.updatedAt().toEpochMilli());
                    if (sent != null) {
                      latencies.add(record.timestamp() - sent);
                    }
                  }
                }
              } catch (Exception e) {
                e.printStackTrace();
              }
            },
            "alert-reader");
    reader.start();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      long start = System.nanoTime();
      long lastReport = start;
      for (int k = 0; k < injected; k++) {
        long due = start + (long) (k * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int section = k % SECTIONS;
        int round = k / SECTIONS;
        Instant at = base.plusSeconds(round);
        AcceptedReading reading =
            reading(
                "benchcity",
                section(section),
                PointKind.WATER,
                at,
                Measurement.valid(Parameter.NH3N, round % 2 == 0 ? 1.8 : 0.5));
        long now = System.currentTimeMillis();
        producedAt.put(section(section) + "|" + at.toEpochMilli(), now);
        producer.send(
            new ProducerRecord<>(
                readings, null, now, bytes(section(section)), AcceptedReadingJson.encode(reading)));
        if (System.nanoTime() - lastReport > 2_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf(
              "  injected %d/%d, %d alerts back%n", k + 1, injected, latencies.size());
        }
      }
      producer.flush();
    }
    reader.join();
    return new ArrayList<>(latencies);
  }

  private JobClient start() throws Exception {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    config.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        Files.createTempDirectory("bench-checkpoints").toUri().toString());
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
    config.set(
        CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.AT_LEAST_ONCE);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(2);
    KafkaEndpoints kafka =
        new KafkaEndpoints(
            infra.kafkaBootstrap(), "bench-" + suffix, false, DeliveryGuarantee.AT_LEAST_ONCE);
    KafkaEndpoints.KeyedBytes<DeadLetter> deadLetter = deadLetterRecord();
    KafkaEndpoints.KeyedBytes<Alert> alertRecord = alertRecord();
    KafkaEndpoints.KeyedBytes<SharingRatioRecord> ratioRecord = ratioRecord();
    // readings of 2025: a raw retention that keeps them (the sink leaves an existing policy)
    InfluxDbSink.setUp(infra.influxUrl(), database, java.util.Optional.of(Duration.ofDays(3650)));
    new StreamJobs(
            kafka.readings(readings),
            kafka.points(points),
            kafka.sink(other, "bench-dl-" + suffix, deadLetter),
            PersistJob.influxStore(infra.influxUrl(), database, 1000),
            kafka.sink(alerts, "bench-alerts-" + suffix, alertRecord),
            new InfluxDbSink<>(infra.influxUrl(), database, 100, new AlertPoints()),
            kafka.sink(other, "bench-ratios-" + suffix, ratioRecord),
            SharingRatioJob.influxHistory(infra.influxUrl(), database),
            RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), points, Duration.ofSeconds(30)))
        .attach(
            env,
            ArrivalClock.defaults(),
            AlertSettings.defaults(List.of("benchcity")),
            RatioSettings.defaults("cluster", List.of("benchcity")));
    return env.executeAsync("bench stream jobs");
  }

  private static KafkaEndpoints.KeyedBytes<DeadLetter> deadLetterRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(DeadLetter element) {
        return null;
      }

      @Override
      public byte[] value(DeadLetter element) {
        return bytes(element.reason());
      }
    };
  }

  private static KafkaEndpoints.KeyedBytes<Alert> alertRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(Alert element) {
        return bytes(element.alertId());
      }

      @Override
      public byte[] value(Alert element) {
        return AlertJson.encode(element);
      }
    };
  }

  private static KafkaEndpoints.KeyedBytes<SharingRatioRecord> ratioRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(SharingRatioRecord element) {
        return null;
      }

      @Override
      public byte[] value(SharingRatioRecord element) {
        return bytes(element.toString());
      }
    };
  }

  private List<MonitoringPoint> registry() {
    List<MonitoringPoint> registry = new ArrayList<>();
    for (int i = 0; i < AIR_POINTS; i++) {
      registry.add(
          new MonitoringPoint(
              air(i),
              "benchcity",
              PointKind.AIR,
              air(i),
              air(i),
              31.0,
              120.6,
              PointStatus.ACTIVE,
              SharingScope.CLUSTER,
              Set.of(),
              null,
              null));
    }
    for (int i = 0; i < SECTIONS; i++) {
      registry.add(
          new MonitoringPoint(
              section(i),
              "benchcity",
              PointKind.WATER,
              section(i),
              section(i),
              31.0,
              120.6,
              PointStatus.ACTIVE,
              SharingScope.CLUSTER,
              Set.of(),
              new WaterAttributes("bench", true, WaterClass.III, WaterBody.RIVER, List.of()),
              null));
    }
    return registry;
  }

  private static String air(int i) {
    return String.format("bench-air-%03d", i);
  }

  private static String section(int i) {
    return String.format("bench-w-%03d", i);
  }

  private static AcceptedReading reading(
      String cityId, String pointId, PointKind kind, Instant observedAt, Measurement value) {
    return new AcceptedReading(
        new Reading(
            Reading.idFor(pointId, observedAt), pointId, observedAt, List.of(value), Source.MQTT),
        cityId,
        kind,
        "bench-gw",
        observedAt.toEpochMilli(),
        observedAt.plusSeconds(1));
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private long count(InfluxDB influx, String query) {
    QueryResult.Result result = influx.query(new Query(query, database)).getResults().get(0);
    if (result.hasError() || result.getSeries() == null) {
      return 0;
    }
    long sum = 0;
    for (QueryResult.Series series : result.getSeries()) {
      sum += ((Number) series.getValues().get(0).get(1)).longValue();
    }
    return sum;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
