package io.envmon.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.reading.Source;
import io.envmon.gateway.Gateway;
import io.envmon.gateway.GatewayConfig;
import io.envmon.jobs.JobsLauncher;
import io.envmon.sim.ScenarioMain;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.scenario.Fault;
import io.envmon.sim.scenario.Protocol;
import io.envmon.sim.scenario.Scenario;
import io.envmon.sim.scenario.ScenarioFile;
import io.envmon.sim.scenario.StationSpec;
import io.envmon.sim.station.Station;
import io.envmon.sim.transport.Hj212Transport;
import io.envmon.sim.transport.Transport;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.ScaledClock;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform on the real servers: the API (demo data), the Flink jobs (MiniCluster), one
 * gateway per demo city and the simulator playing the {@code e2e-short} scenario (three hours of
 * the demo cluster at about 150×). Everything is then checked only through the HTTP API (and the
 * back-filled mark of re-sent HJ 212 readings on the readings topic, which the API does not show).
 * Expected sharing ratios are computed here from the demo data file and the scenario, not by the
 * production calculator; expected readings from the scenario. HJ 212: one station per edition
 * (2005, 2017, 2025 SM4-encrypted with heartbeats), an outage re-sent with RF=1, and an encrypted
 * RF=1 packet older than the latest reading.
 */
@WithRealInfrastructure
class PlatformIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CITIES = List.of("qingpu", "wujiang", "jiashan");
  private static final Duration SPAN = Duration.ofHours(3);
  private static final double ACCELERATION = 150;

  /** Freshness windows of the sharing ratio (docs/standards.md §2 "Sharing ratio"). */
  private static final Map<String, Duration> WINDOW =
      Map.of(
          "AIR", Duration.ofHours(2), "WATER", Duration.ofHours(8), "NOISE", Duration.ofHours(2));

  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @Test
  void theDemoClusterFromStationsToTheHttpApi(Infrastructure infra, @TempDir Path dir)
      throws Exception {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String database = "envmon_e2e_" + run;
    String group = "envmon-e2e-" + run;
    ReadingStore.setUp(database, Optional.empty(), statement -> influxStatement(infra, statement));
    String schema = "envmon_e2e_" + run;
    try (Connection connection =
            DriverManager.getConnection(
                infra.postgresJdbcUrl(), infra.postgresUser(), infra.postgresPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    startJobsGroupAtTheEnd(infra, group);
    // The API's alert consumer too: other tests' alerts on the shared topic are not this run's.
    groupAtTheEnd(infra, "envmon-e2e-api-" + run, "envmon.alerts.v1");
    // The whole path — gateways, jobs, simulator — on one platform clock: it stands at the
    // scenario's start while the parts come up, runs 150× faster while the stations report, and
    // stops at the scenario's end, before the real clock.
    Instant start = Instant.now().minus(SPAN).truncatedTo(ChronoUnit.MINUTES);
    ScaledClock clock = ScaledClock.frozenAt(start, (long) ACCELERATION);

    List<AutoCloseable> running = new ArrayList<>();
    JobClient job = null;
    try {
      EmbeddedServer api =
          ApplicationContext.run(
              EmbeddedServer.class,
              Map.ofEntries(
                  Map.entry("micronaut.server.port", -1),
                  Map.entry(
                      "datasources.default.url",
                      infra.postgresJdbcUrl() + "?currentSchema=" + schema),
                  Map.entry("datasources.default.username", infra.postgresUser()),
                  Map.entry("datasources.default.password", infra.postgresPassword()),
                  Map.entry("envmon.kafka.bootstrap-servers", infra.kafkaBootstrap()),
                  Map.entry("envmon.registry.data-file", "classpath:demo/cluster.json"),
                  Map.entry("envmon.registry.outbox-poll-interval", "200ms"),
                  Map.entry("envmon.alerts.consumer-group", "envmon-e2e-api-" + run),
                  Map.entry("envmon.influx.url", infra.influxUrl()),
                  Map.entry("envmon.influx.database", database),
                  Map.entry("envmon.security.jwt-secret", "e2e-secret-" + UUID.randomUUID())));
      running.add(api::stop);
      base = api.getURL().toString() + "/api/v1";

      Properties jobs = new Properties();
      jobs.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
      jobs.setProperty("envmon.kafka.group", group);
      jobs.setProperty("envmon.influx.url", infra.influxUrl());
      jobs.setProperty("envmon.influx.database", database);
      jobs.setProperty("envmon.checkpoint.dir", dir.resolve("checkpoints").toUri().toString());
      jobs.setProperty("envmon.checkpoint.interval", "PT2S");
      jobs.setProperty("envmon.parallelism", "1");
      jobs.setProperty("envmon.cluster.id", "yrd-demo");
      job = JobsLauncher.start(jobs, clock);

      Scenario scenario = ScenarioFile.load("e2e-short", start, null);
      Map<String, Gateway> gateways = new HashMap<>();
      for (String city : CITIES) {
        Path config = dir.resolve(city + ".properties");
        Files.writeString(
            config,
            String.join(
                "\n",
                "city.id=" + city,
                "gateway.id=e2e-" + city,
                "mqtt.url=" + infra.mqttUrl(),
                "kafka.bootstrap=" + infra.kafkaBootstrap(),
                "spool.dir=" + dir.resolve("spool-" + city),
                "hj212.port=0",
                "coap.port=0",
                "coaps.port=0",
                "health.port=-1",
                "credentials.file=" + gatewayDevices(dir, city, scenario).toAbsolutePath()));
        Gateway gateway = new Gateway(GatewayConfig.load(config, Map.of()), clock);
        running.add(gateway);
        gateways.put(city, gateway.start());
      }

      // The gateways learn the points from the registry topic the API publishes.
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                for (StationSpec spec : scenario.stationSpecs()) {
                  assertThat(gateways.get(spec.cityId()).registry().find(spec.pointId()))
                      .as(spec.pointId())
                      .isPresent();
                }
              });

      Properties endpoints = new Properties();
      endpoints.setProperty("mqtt.url", infra.mqttUrl());
      Properties devices = new Properties();
      for (String city : CITIES) {
        Gateway gateway = gateways.get(city);
        endpoints.setProperty(city + ".coap", "127.0.0.1:" + gateway.coap().port());
        endpoints.setProperty(city + ".coaps", "127.0.0.1:" + gateway.coap().securePort());
        endpoints.setProperty(city + ".hj212", "127.0.0.1:" + gateway.hj212().port());
        try (Reader reader = Files.newBufferedReader(devicesFile(city))) {
          devices.load(reader);
        }
      }
      Map<TopicPartition, Long> readingsFrom = endOffsets(infra, "envmon.readings.v1");
      Progress progress;
      // HJ 212-2025 stations beat every 2 s here (60 s in the demo): several beats in the run.
      try (Transport transport =
          ScenarioMain.transports(scenario, endpoints, devices, Duration.ofSeconds(2))) {
        clock.start();
        progress =
            new Simulation(
                    scenario.stations(), transport, start, SPAN, ACCELERATION, Clock.systemUTC())
                .withReadingMaker(scenario::emission)
                .withResends(scenario::resent)
                .run(Duration.ofSeconds(60), p -> {});
      } finally {
        clock.freeze();
      }
      assertThat(progress.sent()).isPositive();
      assertThat(progress.acknowledged()).isEqualTo(progress.sent());
      assertThat(progress.withheld()).as("the silent station's readings").isPositive();
      checkHj212Editions(gateways);

      checkThroughTheApi(scenario, start);
      checkHj212ThroughTheApi(
          scenario, start, devices, gateways.get("wujiang"), clock, infra, readingsFrom);
      checkWeatherInLatest(scenario);
      checkImportOfHistory();
      checkInvariants(clock.instant());
      // Last: it moves the platform clock on by a few minutes.
      checkReviewInTheRatioHistory(scenario, start, clock);
    } finally {
      if (job != null) {
        job.cancel().get();
      }
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
      influxQuery(infra, "DROP DATABASE " + database);
    }
  }

  private void checkThroughTheApi(Scenario scenario, Instant start) throws Exception {
    String coordinator = token("coordinator");
    String from = URLEncoder.encode(start.toString(), StandardCharsets.UTF_8);

    // Readings of each protocol.
    Map<String, String> bySource =
        Map.of(
            "MQTT", "wujiang-air-01",
            "COAPS", "wujiang-air-02",
            "COAP", "wujiang-noise-01",
            "HJ212", "wujiang-water-taipu-01");
    String bureau = token("wujiang-bureau");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, String> entry : bySource.entrySet()) {
                String point = entry.getValue();
                JsonNode readings =
                    get(bureau, "/points/" + point + "/readings?from=" + from, 200)
                        .path("readings");
                assertThat(readings).as(point).isNotEmpty();
                for (JsonNode r : readings) {
                  assertThat(r.path("source").asText()).as(point).isEqualTo(entry.getKey());
                }
              }
            });

    // The upstream spill: WATER_CLASS in Wujiang, JOINT alerts in the downstream cities.
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              JsonNode water = get(coordinator, "/alerts?status=all&type=WATER_CLASS", 200);
              assertThat(water.findValuesAsText("pointId")).contains("wujiang-water-taipu-01");
              JsonNode joint = get(coordinator, "/alerts?status=all&type=JOINT", 200);
              assertThat(joint.findValuesAsText("cityId")).contains("qingpu", "jiashan");
              assertThat(joint.findValuesAsText("originCityId")).contains("wujiang");
            });

    // The silent device: DEVICE_OFFLINE, and its city's air ratio falls.
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(
                        get(coordinator, "/alerts?status=all&type=DEVICE_OFFLINE", 200)
                            .findValuesAsText("pointId"))
                    .contains("jiashan-air-01"));

    // Each city's newest ratio equals what the demo data and the scenario imply at its minute.
    JsonNode cluster = demoCluster();
    Instant settled = start.plus(Duration.ofMinutes(150));
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              JsonNode ratios = get(coordinator, "/sharing-ratios", 200).path("cities");
              for (String city : CITIES) {
                JsonNode row = null;
                for (JsonNode r : ratios) {
                  if (r.path("city").asText().equals(city)) {
                    row = r;
                  }
                }
                assertThat(row).as("ratio row of " + city).isNotNull();
                Instant at = Instant.parse(row.path("time").asText());
                assertThat(at).as(city + " ratio minute").isAfterOrEqualTo(settled);
                for (String kind : List.of("AIR", "WATER", "NOISE")) {
                  int[] expected = expectedRatio(cluster, scenario, city, kind, at);
                  JsonNode part = row.path(kind.toLowerCase(java.util.Locale.ROOT));
                  assertThat(
                          new int[] {
                            part.path("numerator").asInt(-1), part.path("denominator").asInt(-1)
                          })
                      .as(city + " " + kind + " at " + at)
                      .containsExactly(expected);
                }
              }
            });
    JsonNode history =
        get(
            coordinator,
            "/sharing-ratios/history?city=jiashan&from="
                + from
                + "&to="
                + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8),
            200);
    List<Integer> jiashanAir = new ArrayList<>();
    history
        .findParents("air")
        .forEach(r -> jiashanAir.add(r.path("air").path("numerator").asInt()));
    assertThat(jiashanAir).as("Jiashan's air numerators over time").contains(1, 0);
    assertThat(jiashanAir.get(jiashanAir.size() - 1)).isZero();

    // A viewer of one city does not see another city's PRIVATE point.
    get(token("jiashan-viewer"), "/points/wujiang-air-02", 404);
    get(token("wujiang-viewer"), "/points/wujiang-air-02", 200);
  }

  /**
   * Issue 15 §1: the Wujiang bureau invalidates every reading of wujiang-air-01 through the API;
   * the ratio history of a minute those readings supported falls by that point (the jobs read the
   * mark from envmon.review-marks.v1 and publish the minute again), the assessment as of that
   * minute agrees, and the raw series still has the readings.
   */
  private void checkReviewInTheRatioHistory(Scenario scenario, Instant start, ScaledClock clock)
      throws Exception {
    String coordinator = token("coordinator");
    String bureau = token("wujiang-bureau");
    String point = "wujiang-air-01";
    Instant minute = start.plus(Duration.ofMinutes(150));
    int[] expected = expectedRatio(demoCluster(), scenario, "wujiang", "AIR", minute);
    assertThat(lastSent(scenario, point, minute))
        .as(point + " supports " + minute)
        .isAfter(minute.minus(WINDOW.get("AIR")));
    assertThat(wujiangAirAt(coordinator, minute)).isEqualTo(expected[0]);

    Instant to = clock.instant().plus(Duration.ofMinutes(1));
    HttpResponse<String> marked =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/points/" + point + "/reviews"))
                .header("Authorization", "Bearer " + bureau)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of(
                                "from",
                                start.minus(Duration.ofHours(1)).toString(),
                                "to",
                                to.toString(),
                                "verdict",
                                "INVALID",
                                "reason",
                                "INSTRUMENT_FAULT"))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(marked.statusCode()).as(marked.body()).isEqualTo(201);

    // A mark's corrections go out with the next minute: the platform clock moves a minute a poll.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              advance(clock, Duration.ofMinutes(1));
              assertThat(wujiangAirAt(coordinator, minute))
                  .as("Wujiang's air numerator at " + minute + " after the mark")
                  .isEqualTo(expected[0] - 1);
            });
    String at = URLEncoder.encode(minute.toString(), StandardCharsets.UTF_8);
    JsonNode assessment = get(coordinator, "/assessments/l3p1-a1?city=wujiang&at=" + at, 200);
    assertThat(assessment.path("air").path("numerator").asInt(-1))
        .as("the assessment as of " + minute)
        .isEqualTo(expected[0] - 1);
    assertThat(assessment.path("scoreboard").path("air").path("numerator").asInt(-1))
        .as("/sharing-ratios?at=" + minute + " beside the assessment")
        .isEqualTo(expected[0] - 1);

    String range =
        "from="
            + URLEncoder.encode(minute.minus(WINDOW.get("AIR")).toString(), StandardCharsets.UTF_8)
            + "&to="
            + at;
    JsonNode raw = get(bureau, "/points/" + point + "/readings?view=raw&" + range, 200);
    assertThat(raw.path("readings")).as("the raw series keeps the readings").isNotEmpty();
    assertThat(raw.path("readings").get(0).path("review").isMissingNode()).isFalse();
    assertThat(get(bureau, "/points/" + point + "/readings?" + range, 200).path("readings"))
        .as("the reviewed series leaves them out")
        .isEmpty();
  }

  /** Wujiang's air numerator in the ratio history at {@code minute}, -1 when there is no row. */
  private int wujiangAirAt(String token, Instant minute) throws Exception {
    JsonNode history =
        get(
            token,
            "/sharing-ratios/history?city=wujiang&from="
                + URLEncoder.encode(minute.toString(), StandardCharsets.UTF_8)
                + "&to="
                + URLEncoder.encode(minute.plusSeconds(60).toString(), StandardCharsets.UTF_8),
            200);
    for (JsonNode row : history.findParents("air")) {
      if (Instant.parse(row.path("time").asText()).equals(minute)) {
        return row.path("air").path("numerator").asInt(-1);
      }
    }
    return -1;
  }

  /** Runs the platform clock on by {@code by} and stops it there. */
  private static void advance(ScaledClock clock, Duration by) {
    Instant target = clock.instant().plus(by);
    clock.start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> !clock.instant().isBefore(target));
    } finally {
      clock.freeze();
    }
  }

  /**
   * Each gateway saw the editions its HJ 212 stations speak (e2e-short: Qingpu Taipu HJ/T 212-2005,
   * Wujiang Taipu-02 HJ 212-2017, Wujiang Taipu-01 and Jiashan Taipu HJ 212-2025 encrypted), the
   * 2025 stations' SM4 packets were decrypted and their 9015 heartbeats kept them online.
   */
  private static void checkHj212Editions(Map<String, Gateway> gateways) {
    assertThat(gateways.get("qingpu").hj212().packets().commandCounts())
        .as("qingpu HJ 212 commands")
        .containsKey("2005 2011")
        .doesNotContainKeys("2017 2011", "2025 2011");
    assertThat(gateways.get("wujiang").hj212().packets().commandCounts())
        .as("wujiang HJ 212 commands")
        .containsKeys("2017 2011", "2025 2011", "2025 9015");
    assertThat(gateways.get("jiashan").hj212().packets().commandCounts())
        .as("jiashan HJ 212 commands")
        .containsKeys("2025 2011", "2025 9015");
    assertThat(gateways.get("wujiang").hj212().stationsOnline()).isEqualTo(2);
    assertThat(gateways.get("jiashan").hj212().stationsOnline()).isEqualTo(1);
  }

  /**
   * One HJ 212 station per edition through the whole platform (gateway TCP, Kafka, the jobs,
   * InfluxDB, the API): every stored reading carries exactly the values the scenario made at its
   * time. The Jiashan station's outage readings arrive re-sent (RF=1), marked back-filled on the
   * readings topic and stored with their values. Then an encrypted HJ 212-2025 packet with RF=1
   * whose reading is older than the Wujiang station's newest lands with its values and marked
   * back-filled, and does not replace the newer latest value.
   */
  private void checkHj212ThroughTheApi(
      Scenario scenario,
      Instant start,
      Properties devices,
      Gateway wujiang,
      Clock clock,
      Infrastructure infra,
      Map<TopicPartition, Long> readingsFrom)
      throws Exception {
    Map<String, String> bureauOf =
        Map.of(
            "qingpu-water-taipu-01", "qingpu-bureau",
            "wujiang-water-taipu-02", "wujiang-bureau",
            "wujiang-water-taipu-01", "wujiang-bureau",
            "jiashan-water-taipu-01", "jiashan-bureau");
    Map<String, Instant> lastDue = new HashMap<>();
    for (Map.Entry<String, String> entry : bureauOf.entrySet()) {
      String point = entry.getKey();
      Station station = station(scenario, point);
      String token = token(entry.getValue());
      long interval = station.interval().toMillis();
      Instant end = start.plus(SPAN).minusMillis(1);
      Instant last = Instant.ofEpochMilli(Math.floorDiv(end.toEpochMilli(), interval) * interval);
      lastDue.put(point, last);
      Map<Instant, Reading> expected = new HashMap<>();
      for (Instant at = Instant.ofEpochMilli(last.toEpochMilli());
          !at.isBefore(start);
          at = at.minusMillis(interval)) {
        Instant due = at;
        scenario.emission(station, due).ifPresent(r -> expected.put(due, r));
        scenario.resent(station, due).forEach(r -> expected.put(r.observedAt(), r));
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                Map<Instant, Map<String, Double>> stored =
                    storedReadings(token, point, start, null);
                assertThat(stored.keySet())
                    .as(point)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
                expected.forEach(
                    (at, reading) ->
                        assertThat(stored.get(at))
                            .as(point + " at " + at)
                            .isEqualTo(values(reading)));
              });
    }
    // The outage's history was re-sent RF=1: back-filled on the readings topic.
    Station jiashan = station(scenario, "jiashan-water-taipu-01");
    List<Instant> outage = new ArrayList<>();
    for (Instant at = start; at.isBefore(start.plus(SPAN)); at = at.plus(jiashan.interval())) {
      scenario.resent(jiashan, at).forEach(r -> outage.add(r.observedAt()));
    }
    assertThat(outage).as("the scenario's outage history").hasSize(2);
    Map<Instant, Boolean> marked =
        backfilledOnTheTopic(infra, readingsFrom, jiashan.pointId(), outage.size() + 1);
    outage.forEach(at -> assertThat(marked).as("re-sent " + at).containsEntry(at, true));

    // An encrypted HJ 212-2025 packet, RF=1, older than the newest reading of its station.
    String point = "wujiang-water-taipu-01";
    String token = token("wujiang-bureau");
    Instant newest = lastDue.get(point);
    JsonNode before = latest(token, "wujiang", "WATER", point);
    assertThat(instant(before.path("time").asText())).isEqualTo(newest);
    Station station = station(scenario, point);
    Instant older = newest.minus(Duration.ofMinutes(7));
    Reading resent =
        new Reading(
            Reading.idFor(point, older),
            point,
            older,
            scenario.measurements(station, older),
            Source.HJ212,
            true);
    Hj212Transport.StationLogin login = ScenarioMain.hj212Login(scenario.spec(point), devices);
    assertThat(login.version()).isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(login.sm4Key()).as("the demo station's SM4 key").isNotNull();
    try (Hj212Transport transport =
        new Hj212Transport(
            new InetSocketAddress("127.0.0.1", wujiang.hj212().port()),
            Map.of(point, login),
            ZoneId.of("Asia/Shanghai"),
            Duration.ofSeconds(10),
            clock)) {
      transport.send(station, resent).get(20, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(storedReadings(token, point, older, older.plusSeconds(1)))
                    .containsExactly(Map.entry(older, values(resent))));
    assertThat(backfilledOnTheTopic(infra, readingsFrom, point, 1))
        .containsEntry(older, true)
        .containsEntry(newest, false);
    JsonNode after = latest(token, "wujiang", "WATER", point);
    assertThat(after.path("time").asText()).isEqualTo(before.path("time").asText());
    assertThat(after.path("values")).isEqualTo(before.path("values"));
  }

  /**
   * The air stations' meteorological factors are among the latest values, outside the AQI: the
   * IAQIs are the six pollutants' only and the AQI is their largest.
   */
  private void checkWeatherInLatest(Scenario scenario) throws Exception {
    String token = token("wujiang-bureau");
    Set<String> pollutants = Set.of("pm25", "pm10", "so2", "no2", "o3", "co");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode latest = latest(token, "wujiang", "AIR", "wujiang-air-01");
              Instant at = instant(latest.path("time").asText());
              Reading sent =
                  scenario.emission(station(scenario, "wujiang-air-01"), at).orElseThrow();
              for (String weather :
                  List.of("air_temp", "rh", "pressure", "wind_speed", "wind_dir")) {
                assertThat(latest.path("values").path(weather).asDouble(Double.NaN))
                    .as(weather)
                    .isEqualTo(values(sent).get(weather));
              }
              JsonNode air = latest.path("air");
              List<String> rated = new ArrayList<>();
              air.path("iaqi").fieldNames().forEachRemaining(rated::add);
              assertThat(rated).isNotEmpty();
              assertThat(pollutants).containsAll(rated);
              int largest = 0;
              for (String p : rated) {
                largest = Math.max(largest, air.path("iaqi").path(p).asInt());
              }
              assertThat(air.path("aqi").asInt()).isEqualTo(largest);
            });
  }

  /** A point's raw stored readings in {@code [from, to)} (to: now), by time: name → value. */
  private Map<Instant, Map<String, Double>> storedReadings(
      String token, String point, Instant from, Instant to) throws Exception {
    String query =
        "/points/"
            + point
            + "/readings?from="
            + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
            + "&to="
            + URLEncoder.encode(
                (to == null ? Instant.now().plusSeconds(1) : to).toString(),
                StandardCharsets.UTF_8);
    Map<Instant, Map<String, Double>> stored = new HashMap<>();
    for (JsonNode r : get(token, query, 200).path("readings")) {
      Map<String, Double> values = new HashMap<>();
      r.path("values")
          .fields()
          .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
      stored.put(instant(r.path("time").asText()), values);
    }
    return stored;
  }

  /** An API time: ISO-8601 with an offset or Z. */
  private static Instant instant(String text) {
    return java.time.OffsetDateTime.parse(text).toInstant();
  }

  private static Map<String, Double> values(Reading reading) {
    Map<String, Double> values = new HashMap<>();
    reading.measurements().forEach(m -> values.put(m.parameter().canonicalName(), m.value()));
    return values;
  }

  private JsonNode latest(String token, String city, String kind, String point) throws Exception {
    for (JsonNode entry : get(token, "/readings/latest?city=" + city + "&kind=" + kind, 200)) {
      if (entry.path("pointId").asText().equals(point)) {
        return entry;
      }
    }
    throw new AssertionError("no latest entry for " + point);
  }

  private static Station station(Scenario scenario, String point) {
    return scenario.stations().stream()
        .filter(s -> s.pointId().equals(point))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Whether each reading of {@code point} on the readings topic since {@code from} is marked
   * back-filled, by observation time; reads until at least {@code atLeast} readings of the point.
   */
  private static Map<Instant, Boolean> backfilledOnTheTopic(
      Infrastructure infra, Map<TopicPartition, Long> from, String point, int atLeast)
      throws Exception {
    Map<Instant, Boolean> marked = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers", infra.kafkaBootstrap(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(),
                "enable.auto.commit", "false"))) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          AcceptedReading accepted = AcceptedReadingJson.decode(record.value());
          if (accepted.reading().pointId().equals(point)) {
            marked.merge(
                accepted.reading().observedAt(),
                accepted.reading().backfilled(),
                Boolean::logicalOr);
          }
        }
        boolean atEnd =
            ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        if (atEnd && marked.size() >= atLeast) {
          break;
        }
      }
    }
    return marked;
  }

  /** The end offsets of {@code topic}'s partitions now. */
  private static Map<TopicPartition, Long> endOffsets(Infrastructure infra, String topic)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
  }

  /**
   * What must hold after any run (issue 12): at most one active alert per point and type (and
   * origin, for JOINT); nothing dated after the platform clock, nor after the real one.
   */
  /**
   * A file of history imported through the API reaches InfluxDB through the readings topic and the
   * real persist job, and a corrected file of the same readings overwrites them: the same number of
   * rows, the new values (docs/api.md "Import").
   */
  private void checkImportOfHistory() throws Exception {
    String token = token("wujiang-bureau");
    // history within the raw readings' retention (52 weeks), long before the scenario: readings
    // older than it are kept as stored hours only (RetentionIT)
    Instant from = Instant.now().minus(Duration.ofDays(90)).truncatedTo(ChronoUnit.DAYS);
    int rows = 120;
    String range =
        "/points/wujiang-air-02/readings?view=raw&from="
            + from
            + "&to="
            + from.plusSeconds(60L * rows);
    for (int correction = 0; correction < 2; correction++) {
      StringBuilder csv = new StringBuilder("time_utc,pm25 (ug/m3),pm25_flag\r\n");
      for (int i = 0; i < rows; i++) {
        csv.append(from.plusSeconds(60L * i)).append(',').append(i + correction).append(",N\r\n");
      }
      HttpResponse<String> accepted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/imports?point=wujiang-air-02"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "text/csv")
                  .POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String status =
          accepted.headers().firstValue("Location").orElseThrow().substring("/api/v1".length());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(get(token, status, 200).path("status").asText()).isEqualTo("DONE"));
      int offset = correction;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                JsonNode stored = get(token, range, 200).path("readings");
                assertThat(stored.size()).as("rows stored, never doubled").isEqualTo(rows);
                for (int i = 0; i < rows; i++) {
                  assertThat(stored.get(i).path("values").path("pm25").asDouble())
                      .isEqualTo(i + offset);
                  assertThat(stored.get(i).path("source").asText()).isEqualTo("IMPORT");
                }
              });
    }
  }

  private void checkInvariants(Instant platformNow) throws Exception {
    Instant now = Instant.now();
    JsonNode all = get(token("coordinator"), "/alerts?status=all&size=1000", 200);
    List<JsonNode> alerts = all.findParents("startedAt");
    assertThat(alerts).isNotEmpty();
    Map<String, List<String>> activeByPointAndType = new HashMap<>();
    for (JsonNode alert : alerts) {
      for (String field : List.of("startedAt", "updatedAt", "detectedAt")) {
        if (alert.hasNonNull(field)) {
          Instant at = Instant.parse(alert.path(field).asText());
          assertThat(at).as(field + " of " + alert).isBeforeOrEqualTo(platformNow);
          assertThat(at).as(field + " of " + alert).isBeforeOrEqualTo(now);
        }
      }
      if (!alert.path("state").asText().equals("CLEARED")) {
        String key =
            String.join(
                "|",
                alert.path("pointId").asText(),
                alert.path("type").asText(),
                alert.path("cityId").asText(),
                alert.path("originPointId").asText(""));
        activeByPointAndType
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(alert.path("id").asText());
      }
    }
    assertThat(activeByPointAndType)
        .as("active alerts per point and type")
        .allSatisfy((key, ids) -> assertThat(ids).as(key).hasSize(1));
  }

  /**
   * {numerator, denominator}: points of the city and kind that are PLANNED or ACTIVE (WATER: only
   * important sections) over those that are ACTIVE, shared with the whole cluster and sent a
   * reading within the kind's freshness window before {@code at}.
   */
  private static int[] expectedRatio(
      JsonNode cluster, Scenario scenario, String city, String kind, Instant at) {
    int numerator = 0;
    int denominator = 0;
    Set<String> stations = new HashSet<>();
    scenario.stationSpecs().forEach(s -> stations.add(s.pointId()));
    for (JsonNode point : cluster.path("points")) {
      String status = point.path("status").asText();
      if (!point.path("cityId").asText().equals(city)
          || !point.path("kind").asText().equals(kind)
          || !(status.equals("ACTIVE") || status.equals("PLANNED"))
          || (kind.equals("WATER") && !point.path("important").asBoolean())) {
        continue;
      }
      denominator++;
      String id = point.path("id").asText();
      if (status.equals("ACTIVE")
          && point.path("sharing").asText().equals("CLUSTER")
          && stations.contains(id)
          && lastSent(scenario, id, at).isAfter(at.minus(WINDOW.get(kind)))) {
        numerator++;
      }
    }
    return new int[] {numerator, denominator};
  }

  /** The last instant ≤ at the station sent a reading (it is silent from its fault on). */
  private static Instant lastSent(Scenario scenario, String pointId, Instant at) {
    StationSpec spec = scenario.spec(pointId);
    Instant until = at;
    for (Fault fault : scenario.faults()) {
      if (fault instanceof Fault.Silent silent && silent.pointId().equals(pointId)) {
        Instant silentFrom = scenario.start().plus(silent.from());
        if (silentFrom.isBefore(until)) {
          until = silentFrom.minusMillis(1);
        }
      }
    }
    long interval = spec.interval().toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(until.toEpochMilli(), interval) * interval);
  }

  private static JsonNode demoCluster() throws Exception {
    try (InputStream in =
        PlatformIT.class.getClassLoader().getResourceAsStream("demo/cluster.json")) {
      return JSON.readTree(in);
    }
  }

  /**
   * The city's demo device file, plus {@code coap.plain-from=127.0.0.1} for each station the
   * scenario has speak plain CoAP (the demo has none; e2e-short keeps one, so the opt-in is tested
   * through the whole platform).
   */
  private static Path gatewayDevices(Path dir, String city, Scenario scenario) throws IOException {
    StringBuilder text = new StringBuilder(Files.readString(devicesFile(city)));
    for (StationSpec spec : scenario.stationSpecs()) {
      if (spec.cityId().equals(city) && spec.protocol() == Protocol.COAP) {
        text.append("\ndevice.").append(spec.deviceId()).append(".coap.plain-from=127.0.0.1\n");
      }
    }
    Path file = dir.resolve("devices-" + city + ".properties");
    Files.writeString(file, text);
    return file;
  }

  private static Path devicesFile(String city) {
    return Path.of("..", "demo", "devices-" + city + ".properties");
  }

  private String token(String user) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of("username", user, "password", "demo-" + user))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("login " + user).isEqualTo(200);
    return JSON.readTree(response.body()).path("access_token").asText();
  }

  private JsonNode get(String token, String path, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path).isEqualTo(expectedStatus);
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  /** One InfluxQL statement; its error (the answer), if any. */
  private Optional<String> influxStatement(Infrastructure infra, String statement) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(infra.influxUrl() + "/query"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && !response.body().contains("\"error\"")
          ? Optional.empty()
          : Optional.of(response.body());
    } catch (java.io.IOException e) {
      return Optional.of(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(e.toString());
    }
  }

  private void influxQuery(Infrastructure infra, String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(infra.influxUrl() + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(query).isEqualTo(200);
  }

  /**
   * The contract topics exist, and the jobs' consumer group starts at their end: readings other
   * tests of the run left in the shared topic must not move this run's event time.
   */
  private static void startJobsGroupAtTheEnd(Infrastructure infra, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      for (String topic :
          List.of(
              "envmon.readings.v1",
              "envmon.alerts.v1",
              "envmon.sharing-ratios.v1",
              "envmon.deadletter.v1",
              "envmon.review-marks.v1")) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
    groupAtTheEnd(infra, group, "envmon.readings.v1");
  }

  /**
   * Commits {@code group}'s offsets of {@code topic} at its end: the group reads only what comes.
   */
  private static void groupAtTheEnd(Infrastructure infra, String group, String topic)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    endOffsets(infra, topic).forEach((tp, offset) -> ends.put(tp, new OffsetAndMetadata(offset)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin.alterConsumerGroupOffsets(group, ends).all().get();
    }
  }
}
