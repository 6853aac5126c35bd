package io.envmon.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.reading.Reading;
import io.envmon.gateway.Gateway;
import io.envmon.gateway.GatewayConfig;
import io.envmon.jobs.JobsLauncher;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.station.Station;
import io.envmon.sim.transport.MqttTransport;
import io.envmon.sim.transport.Transport;
import io.envmon.testsupport.Infrastructure;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./envmon bench e2e [--stations N] [--readings-per-station N] [--rate R] [--latency-seconds
 * S] [--probes P] [--checkpoint-interval PT2S]}: the simulator in rate mode over MQTT against (1)
 * Mosquitto alone, the ceiling, and (2) the real path — a gateway, Kafka, the Flink jobs, InfluxDB
 * — printing readings/s of each and whether every sent reading id arrived in InfluxDB; then (3)
 * reading-to-alert latency under background load at a fixed rate ({@link AlertLatency})
 * (docs/performance.md).
 */
public final class E2eBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CITY = "benchcity";

  private E2eBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int stations = Integer.parseInt(options.getOrDefault("stations", "100"));
    int perStation = Integer.parseInt(options.getOrDefault("readings-per-station", "200"));
    double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
    int latencySeconds = Integer.parseInt(options.getOrDefault("latency-seconds", "30"));
    int probes = Integer.parseInt(options.getOrDefault("probes", "10"));
    Infrastructure infra =
        Infrastructure.fromEndpointsFile(Path.of(System.getenv("ENVMON_INFRA_ENDPOINTS")));
    Path work = Path.of(System.getenv().getOrDefault("ENVMON_BENCH_DIR", "var/bench-e2e"));
    Files.createDirectories(work);
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    List<Station> fleet = new ArrayList<>();
    for (int i = 1; i <= stations; i++) {
      fleet.add(
          new AirStation(
              "%s-air-b%s-%04d".formatted(CITY, run, i),
              CITY,
              ZoneId.of("Asia/Shanghai"),
              Duration.ofMinutes(1),
              42));
    }
    List<Station> loadFleet = new ArrayList<>();
    for (int i = 1; i <= stations; i++) {
      loadFleet.add(
          new AirStation(
              "%s-air-l%s-%04d".formatted(CITY, run, i),
              CITY,
              ZoneId.of("Asia/Shanghai"),
              Duration.ofMinutes(1),
              43));
    }
    List<NoiseStation> probeFleet = new ArrayList<>();
    for (int i = 1; i <= probes; i++) {
      probeFleet.add(
          new NoiseStation(
              "%s-noise-p%s-%02d".formatted(CITY, run, i),
              CITY,
              ZoneId.of("Asia/Shanghai"),
              NoiseZone.Z1,
              Duration.ofMinutes(1),
              44));
    }
    List<Station> registered = new ArrayList<>(fleet);
    registered.addAll(loadFleet);
    registered.addAll(probeFleet);
    Instant start =
        Instant.now().minus(Duration.ofMinutes(perStation + 5)).truncatedTo(ChronoUnit.MINUTES);
    Duration span = Duration.ofMinutes(perStation);
    long total = (long) stations * perStation;
    System.out.printf(
        "bench e2e: %d MQTT stations × %d readings = %,d readings, QoS 1, rate mode%n",
        stations, perStation, total);

    // 1. Mosquitto alone: the same publishers, a topic no gateway subscribes to.
    double ceiling;
    try (MqttTransport mqtt =
        new MqttTransport(
            infra.mqttUrl(), "bench-ceiling-" + run, null, null, 1000, (t, r) -> {})) {
      Transport elsewhere =
          new Transport() {
            @Override
            public CompletableFuture<Void> send(Station station, Reading reading) {
              return mqtt.send(
                  new AirStation(
                      station.pointId(),
                      "ceiling",
                      ZoneId.of("Asia/Shanghai"),
                      station.interval(),
                      42),
                  reading);
            }

            @Override
            public void close() {}
          };
      long t0 = System.nanoTime();
      Progress progress =
          new Simulation(
                  fleet, elsewhere, start, span, Simulation.AS_FAST_AS_POSSIBLE, Clock.systemUTC())
              .run(Duration.ofSeconds(60), p -> {});
      double seconds = (System.nanoTime() - t0) / 1e9;
      ceiling = progress.acknowledged() / seconds;
      System.out.printf(
          "mosquitto alone: %,d acknowledged in %.1f s = %,.0f readings/s%n",
          progress.acknowledged(), seconds, ceiling);
    }

    // 2. The real path.
    String database = "envmon_bench_" + run;
    influx(infra, "CREATE DATABASE " + database);
    String group = "envmon-bench-" + run;
    prepareKafka(infra, group, registered);
    java.util.Properties jobs = new java.util.Properties();
    jobs.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
    jobs.setProperty("envmon.kafka.group", group);
    jobs.setProperty("envmon.influx.url", infra.influxUrl());
    jobs.setProperty("envmon.influx.database", database);
    jobs.setProperty(
        "envmon.checkpoint.dir", work.resolve("checkpoints-" + run).toUri().toString());
    jobs.setProperty(
        "envmon.checkpoint.interval", options.getOrDefault("checkpoint-interval", "PT2S"));
    jobs.setProperty("envmon.parallelism", "1");
    JobClient job = JobsLauncher.start(jobs);
    Path config = work.resolve("gateway-" + run + ".properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "city.id=" + CITY,
            "gateway.id=bench-" + run,
            "mqtt.url=" + infra.mqttUrl(),
            "kafka.bootstrap=" + infra.kafkaBootstrap(),
            "spool.dir=" + work.resolve("spool-" + run),
            "spool.fsync=OPERATING_SYSTEM",
            "hj212.port=-1",
            "health.port=-1"));
    try (Gateway gateway = new Gateway(GatewayConfig.load(config, Map.of()), Clock.systemUTC())) {
      gateway.start();
      long deadline = System.currentTimeMillis() + 120_000;
      while (gateway.registry().find(registered.get(registered.size() - 1).pointId()).isEmpty()) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the gateway did not learn the bench points in 120 s");
        }
        Thread.sleep(200); // polling the registry in a benchmark tool, not in a test
      }
      Set<String> sentIds = ConcurrentHashMap.newKeySet();
      long t0 = System.nanoTime();
      Progress progress;
      try (MqttTransport mqtt =
          new MqttTransport(infra.mqttUrl(), "bench-e2e-" + run, null, null, 1000, (t, r) -> {})) {
        Transport recording =
            new Transport() {
              @Override
              public CompletableFuture<Void> send(Station station, Reading reading) {
                sentIds.add(reading.readingId());
                return mqtt.send(station, reading);
              }

              @Override
              public void close() {}
            };
        progress =
            new Simulation(
                    fleet,
                    recording,
                    start,
                    span,
                    Simulation.AS_FAST_AS_POSSIBLE,
                    Clock.systemUTC())
                .run(Duration.ofSeconds(60), p -> {});
      }
      double edgeSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "through the gateway: %,d acknowledged at the edge in %.1f s = %,.0f readings/s%n",
          progress.acknowledged(), edgeSeconds, progress.acknowledged() / edgeSeconds);
      Set<String> stored = new HashSet<>();
      long storeDeadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (stored.size() < sentIds.size() && System.nanoTime() < storeDeadline) {
        stored = storedIds(infra, database);
        if (stored.size() < sentIds.size()) {
          Thread.sleep(1000); // polling InfluxDB in a benchmark tool
        }
      }
      double allStoredSeconds = (System.nanoTime() - t0) / 1e9;
      Set<String> missing = new HashSet<>(sentIds);
      missing.removeAll(stored);
      double sustained = stored.size() / allStoredSeconds;
      System.out.printf(
          "end to end (MQTT → gateway → Kafka → Flink → InfluxDB): %,d of %,d sent reading ids in"
              + " InfluxDB after %.1f s = %,.0f readings/s sustained; %,d missing%n",
          stored.size(), sentIds.size(), allStoredSeconds, sustained, missing.size());
      System.out.printf(
          "ratio end to end / Mosquitto alone: %.2f%n", ceiling == 0 ? 0 : sustained / ceiling);
      boolean alertsComplete =
          AlertLatency.measure(infra, run, loadFleet, probeFleet, rate, latencySeconds);
      job.cancel().get();
      influx(infra, "DROP DATABASE " + database);
      System.exit(missing.isEmpty() && alertsComplete ? 0 : 1);
    }
  }

  private static Set<String> storedIds(Infrastructure infra, String database) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            infra.influxUrl()
                                + "/query?db="
                                + database
                                + "&q="
                                + URLEncoder.encode(
                                    "SELECT reading_id FROM reading", StandardCharsets.UTF_8)))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Set<String> ids = new HashSet<>();
    for (JsonNode series : JSON.readTree(body).path("results").path(0).path("series")) {
      for (JsonNode row : series.path("values")) {
        ids.add(row.path(1).asText());
      }
    }
    return ids;
  }

  private static void influx(Infrastructure infra, String query) throws Exception {
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(infra.influxUrl() + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Contract topics, the bench points in the registry, the jobs' group at the readings' end. */
  private static void prepareKafka(Infrastructure infra, String group, List<Station> fleet)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      for (String topic :
          List.of(
              "envmon.readings.v1",
              "envmon.points.v1",
              "envmon.alerts.v1",
              "envmon.sharing-ratios.v1",
              "envmon.deadletter.v1")) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 2; p++) {
        latest.put(new TopicPartition("envmon.readings.v1", p), OffsetSpec.latest());
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(group, ends).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", infra.kafkaBootstrap(), "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (Station station : fleet) {
        boolean noise = station instanceof NoiseStation;
        MonitoringPoint point =
            new MonitoringPoint(
                station.pointId(),
                CITY,
                noise ? PointKind.NOISE : PointKind.AIR,
                station.pointId(),
                station.pointId(),
                31.0,
                120.6,
                PointStatus.ACTIVE,
                SharingScope.CLUSTER,
                Set.of(),
                null,
                noise ? NoiseZone.Z1 : null);
        producer.send(
            new ProducerRecord<>(
                "envmon.points.v1", point.id(), MonitoringPointJson.encode(point)));
      }
      producer.flush();
    }
  }
}
