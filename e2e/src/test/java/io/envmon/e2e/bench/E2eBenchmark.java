package io.envmon.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.sim.station.NoiseStation;
import io.envmon.testsupport.Infrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The coordinator of {@code ./envmon bench e2e} (docs/performance.md "The whole path"). Every part
 * is an OS process of its own: Mosquitto, Kafka, InfluxDB and PostgreSQL (started by the script),
 * and, started here, the API ({@code io.envmon.api.Application}, which registers the bench city and
 * its points from a data file and publishes them on {@code envmon.points.v1}), the gateway ({@code
 * GatewayMain}), the stream jobs ({@code StreamJobsMain}, a MiniCluster), the load generator
 * ({@link LoadGenerator}) and, for the ceiling, a plain subscriber ({@link PlainSubscriber}); this
 * JVM only steers and counts. Phases:
 *
 * <ol>
 *   <li>Mosquitto alone: generator → Mosquitto → plain subscriber, as fast as PUBACKs come.
 *   <li>The whole path: a warm-up that is not counted (then longer, until the JIT compilers
 *       settle), then steps of offered rate, each {@code --step-seconds} long, until a step is not
 *       sustained. Per step: PUBACKed, spooled by the gateway (its {@code /metrics}), stored
 *       (InfluxDB's own write counters, {@link InfluxWriteStats}, every {@code --sample-seconds},
 *       on an exact count taken once before the generator starts), the trend of the lag spooled −
 *       stored, and the CPU of each process ({@code /proc/<pid>/stat}) per stored reading, with the
 *       part of it its JIT compiler threads took.
 *   <li>Optionally, reading-to-alert latency at a fixed offered rate, on Kafka and at the API's SSE
 *       stream ({@link AlertLatency}).
 *   <li>Accounting: once the write counters say every reading is stored, their figure against an
 *       exact count; then per station, the readings the generator had PUBACKed against InfluxDB's
 *       count, first and last timestamp of that station's series (station i's k-th reading is at
 *       {@code start + k × spacing}, so count = n, first = start and last = start + (n−1) × spacing
 *       means every sequence number 0..n−1 is stored).
 * </ol>
 */
public final class E2eBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String DATABASE = "envmon_bench";
  private static final String[] PARTS = {
    "mosquitto", "gateway", "kafka", "jobs", "influxdb", "api", "postgresql", "generator"
  };

  /** The API's PostgreSQL schema (in the private infrastructure's database, fresh every run). */
  private static final String SCHEMA = "envmon_bench";

  /** The emergency user of the bench city whose alert stream the latency phase watches. */
  private static final String EMERGENCY_USER = BenchFleet.CITY + "-emergency";

  private E2eBenchmark() {}

  /** One step's figures. */
  record Step(
      double offered,
      double seconds,
      double pubacked,
      double spooled,
      double stored,
      long lagStart,
      long lagEnd,
      double lagSlope,
      Map<String, Double> cpuPerReading,
      Map<String, Double> jitPerReading,
      double storedQueryMillis,
      String storedQuery,
      String shortfall,
      String loadBefore,
      String loadAfter) {

    /** Every criterion met: PUBACKed, spooled, stored ≥ 97 % of offered, the lag not growing. */
    boolean sustained() {
      return shortfall.isEmpty();
    }
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    Path auth = Path.of(options.required("auth"));
    if (options.flag("prepare-logins")) {
      BenchFleet.write(
          auth,
          options.intValue("stations", 1000),
          options.intValue("connections", 4),
          options.intValue("probes", 10));
      return;
    }
    E2eBenchmark.Run run = new E2eBenchmark.Run(options, auth);
    boolean sustained;
    try {
      sustained = run.run();
    } finally {
      // after the run: reading the recordings while steps run would take their CPU
      JfrProfile.profileRecordings(run.work.resolve("jfr").toAbsolutePath());
    }
    System.exit(sustained ? 0 : 1);
  }

  /** One run of the benchmark. */
  private static final class Run {
    final BenchOptions options;
    final Path auth;
    final Infrastructure infra;
    final Path infraVar;
    final Path work;
    final String logback;
    final BenchFleet fleet;
    final int stepSeconds;
    final int sampleSeconds;
    final Duration spacing;
    final List<ChildProcess> children = new ArrayList<>();

    /** The processes of each part (several gateways with {@code --gateways}). */
    final Map<String, List<Long>> pids = new LinkedHashMap<>();

    /** The health ports of the gateways. */
    final List<Integer> gatewayHealthPorts = new ArrayList<>();

    /** {@code --gateways}: the city's gateways, sharing the MQTT subscription (§3). */
    final int gateways;

    /** {@code --parallelism}: the stream jobs' parallelism. */
    final int parallelism;

    /** {@code --partitions}: the partitions of {@code envmon.readings.v1}. */
    final int partitions;

    URI api;
    String apiToken;

    /** The observation time of every station's reading 0 from the latest generator. */
    Instant generatorStart;

    /** When the latest generator started: none of its readings is written earlier. */
    Instant generatorLaunched;

    /** The readings in {@code raw} (exact) before the whole path's generator started. */
    long storedBase;

    /** The points InfluxDB had written into {@code raw} then ({@link InfluxWriteStats}). */
    long pointsBase;

    /** Whether stored comes from the write counters; false once they cannot tell readings. */
    boolean storedFromCounters = true;

    Run(BenchOptions options, Path auth) throws IOException {
      this.options = options;
      this.auth = auth;
      Path endpoints = Path.of(System.getenv("ENVMON_INFRA_ENDPOINTS"));
      infra = Infrastructure.fromEndpointsFile(endpoints);
      infraVar = endpoints.toAbsolutePath().getParent();
      work = Path.of(System.getenv().getOrDefault("ENVMON_BENCH_DIR", "var/bench-e2e"));
      Files.createDirectories(work);
      logback = System.getProperty("logback.configurationFile", "");
      fleet = BenchFleet.read(auth.resolve("devices.properties"));
      stepSeconds = options.intValue("step-seconds", 60);
      sampleSeconds = options.intValue("sample-seconds", 5);
      spacing = Duration.ofMillis(options.longValue("spacing-ms", 10_000));
      gateways = options.intValue("gateways", 1);
      parallelism = options.intValue("parallelism", 1);
      partitions = options.intValue("partitions", 2);
    }

    boolean run() throws Exception {
      // A coordinator stopped by a signal stops its processes too (the script stops the servers).
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    synchronized (children) {
                      children.forEach(child -> child.process.destroy());
                    }
                  },
                  "bench-stop-children"));
      String loadAtStart = ProcessCpu.loadAverage();
      System.out.printf(
          "bench e2e: %d air stations on %d MQTT connections (device logins), QoS 1; steps of"
              + " %d s; %s; load average at start %s%n",
          fleet.airPoints().size(),
          fleet.generatorDevices().size(),
          stepSeconds,
          instances(),
          loadAtStart);
      for (String server : List.of("mosquitto", "kafka", "influxdb")) {
        pids.put(server, List.of(serverPid(server)));
      }
      pids.put("postgresql", List.of(serverPid("postgres")));
      try {
        double[] ceiling = mosquittoAlone();
        prepareKafka();
        ReadingStore.setUp(
            DATABASE,
            Optional.empty(),
            statement -> {
              try {
                influx(statement);
                return Optional.empty();
              } catch (Exception e) {
                return Optional.of(e.toString());
              }
            });
        startApi();
        startJobs();
        startGateway();
        return wholePath(ceiling, loadAtStart);
      } finally {
        List<ChildProcess> started;
        synchronized (children) {
          started = List.copyOf(children);
        }
        for (ChildProcess child : started) {
          child.close();
        }
      }
    }

    /** A server's pid, from the launcher's pid file (the postmaster for PostgreSQL). */
    long serverPid(String server) throws IOException {
      return Long.parseLong(Files.readString(infraVar.resolve(server + ".pid")).trim());
    }

    /** Generator → Mosquitto → plain subscriber: {received/s, PUBACKed/s, CPU µs per message…}. */
    double[] mosquittoAlone() throws Exception {
      int warmup = options.intValue("mosquitto-warmup-seconds", 10);
      int seconds = options.intValue("mosquitto-seconds", 30);
      ChildProcess subscriber =
          start(
              "subscriber",
              ChildProcess.java("-Xmx256m", logback, List.of(), PlainSubscriber.class.getName()),
              List.of(
                  "--mqtt",
                  infra.mqttUrl(),
                  "--user",
                  BenchFleet.gatewayUser(fleet.city()),
                  "--password",
                  BenchFleet.gatewayPassword(auth),
                  "--topic",
                  "$share/bench-plain/envmon/v1/" + fleet.city() + "/+/up"));
      subscriber.awaitLine("ready"::equals, Duration.ofSeconds(60));
      ChildProcess generator = startGenerator("gen-ceiling");
      generator.send("rate max");
      Thread.sleep(warmup * 1000L); // the warm-up, not counted
      Map<String, Long> measured =
          Map.of(
              "mosquitto",
              pids.get("mosquitto").get(0),
              "subscriber",
              subscriber.pid(),
              "generator",
              generator.pid());
      long[] cpu0 = cpu(measured);
      long acked0 = generator.status(3);
      long received0 = subscriber.status(2);
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L); // the measured window
      long[] cpu1 = cpu(measured);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long acked = generator.status(3) - acked0;
      long received = subscriber.status(2) - received0;
      generator.send("stop");
      generator.awaitLine("done"::equals, Duration.ofSeconds(150));
      long totalAcked = generator.status(3);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (subscriber.status(2) < totalAcked && System.nanoTime() < deadline) {
        Thread.sleep(500); // waiting for the subscriber's status line
      }
      Thread.sleep(1500); // one more status line of the subscriber
      long totalReceived = subscriber.status(2);
      subscriber.closeInput();
      subscriber.close();
      generator.close();
      synchronized (children) {
        children.remove(subscriber);
        children.remove(generator);
      }
      double[] result = {
        received / elapsed,
        acked / elapsed,
        (cpu1[0] - cpu0[0]) / (double) Math.max(1, received),
        (cpu1[1] - cpu0[1]) / (double) Math.max(1, received),
        (cpu1[2] - cpu0[2]) / (double) Math.max(1, received)
      };
      System.out.printf(
          "mosquitto alone (generator → Mosquitto → plain subscriber, %d s after %d s warm-up):"
              + " %,.0f PUBACKed/s, %,.0f received/s; CPU µs per message: mosquitto %.1f,"
              + " subscriber %.1f, generator %.1f; %,d of %,d PUBACKed received in the end%n",
          seconds,
          warmup,
          result[1],
          result[0],
          result[2],
          result[3],
          result[4],
          totalReceived,
          totalAcked);
      return result;
    }

    /** CPU µs so far of the Mosquitto-alone processes: mosquitto, subscriber, generator. */
    long[] cpu(Map<String, Long> processes) {
      List<String> names = List.of("mosquitto", "subscriber", "generator");
      long[] micros = new long[names.size()];
      for (int i = 0; i < names.size(); i++) {
        micros[i] = ProcessCpu.micros(processes.get(names.get(i)));
      }
      return micros;
    }

    /** Each part's JIT compiler threads' CPU ticks so far, by thread id. */
    Map<String, Map<Long, Long>> jitOfParts() {
      Map<String, Map<Long, Long>> ticks = new LinkedHashMap<>();
      for (String part : PARTS) {
        Map<Long, Long> threads = new HashMap<>();
        pids.get(part).forEach(pid -> threads.putAll(ProcessCpu.jitThreadTicks(pid)));
        ticks.put(part, threads);
      }
      return ticks;
    }

    /** CPU µs the JIT threads of all parts used since {@code before}. */
    long jitMicrosSince(Map<String, Map<Long, Long>> before) {
      Map<String, Map<Long, Long>> now = jitOfParts();
      return now.entrySet().stream()
          .mapToLong(e -> ProcessCpu.jitMicrosBetween(before.get(e.getKey()), e.getValue()))
          .sum();
    }

    /**
     * Warms up longer, still not counted, until the JIT compilers of all parts together use less
     * than {@code --jit-settled-ms} ms of CPU a second over 10 s, or {@code --jit-settle-seconds}
     * passed: on 2 cores the JVMs (gateway, jobs, API, Kafka, generator) are still compiling a
     * minute after start, and a step measured then counts their compilers as cost per reading.
     */
    void settleJit() throws InterruptedException {
      int limit = options.intValue("jit-settle-seconds", 180);
      double settled = options.doubleValue("jit-settled-ms", 50);
      long start = System.nanoTime();
      while (true) {
        Map<String, Map<Long, Long>> before = jitOfParts();
        long t0 = System.nanoTime();
        Thread.sleep(10_000); // the window JIT CPU is measured over
        double rate = jitMicrosSince(before) / 1000.0 / ((System.nanoTime() - t0) / 1e9);
        double waited = (System.nanoTime() - start) / 1e9;
        if (rate < settled) {
          System.out.printf(
              "warm-up: the JIT compilers settled (%.0f ms of CPU a second) after %.0f s more%n",
              rate, waited);
          return;
        }
        if (waited >= limit) {
          System.out.printf(
              "warm-up: the JIT compilers still use %.0f ms of CPU a second after %.0f s more;"
                  + " the steps' JIT column shows what they take%n",
              rate, waited);
          return;
        }
      }
    }

    Map<String, Long> cpuOfParts() {
      Map<String, Long> micros = new LinkedHashMap<>();
      for (String part : PARTS) {
        micros.put(part, pids.get(part).stream().mapToLong(ProcessCpu::micros).sum());
      }
      return micros;
    }

    ChildProcess startGenerator(String name) throws Exception {
      generatorLaunched = Instant.now();
      Instant start = generatorLaunched.minus(Duration.ofHours(40)).truncatedTo(ChronoUnit.MINUTES);
      generatorStart = start;
      ChildProcess generator =
          start(
              name,
              ChildProcess.java("-Xmx512m", logback, jfrOptions(), LoadGenerator.class.getName()),
              List.of(
                  "--mqtt",
                  infra.mqttUrl(),
                  "--devices",
                  auth.resolve("devices.properties").toString(),
                  "--start-epoch-ms",
                  Long.toString(start.toEpochMilli()),
                  "--spacing-ms",
                  Long.toString(spacing.toMillis()),
                  "--window",
                  Integer.toString(options.intValue("window", 1000)),
                  "--name",
                  name));
      generator.awaitLine(l -> l.startsWith("ready"), Duration.ofSeconds(60));
      return generator;
    }

    ChildProcess start(String name, List<String> command, List<String> args) throws IOException {
      return start(name, command, Map.of(), args);
    }

    ChildProcess start(
        String name, List<String> command, Map<String, String> environment, List<String> args)
        throws IOException {
      List<String> full = new ArrayList<>(command);
      full.addAll(args);
      ChildProcess child = new ChildProcess(name, full, environment, work.resolve(name + ".log"));
      synchronized (children) {
        children.add(child);
      }
      return child;
    }

    List<String> jfrOptions() {
      return List.of();
    }

    void startJobs() throws Exception {
      ChildProcess jobs =
          start(
              "jobs",
              ChildProcess.java(
                  "-Xmx1g",
                  logback,
                  List.of(
                      "-Denvmon.kafka.bootstrap=" + infra.kafkaBootstrap(),
                      "-Denvmon.influx.url=" + infra.influxUrl(),
                      "-Denvmon.influx.database=" + DATABASE,
                      "-Denvmon.var=" + work.resolve("jobs").toAbsolutePath(),
                      "-Denvmon.checkpoint.interval="
                          + options.value("checkpoint-interval", "PT2S"),
                      "-Denvmon.state.changelog=" + options.value("state-changelog", "true"),
                      "-Denvmon.parallelism=" + parallelism,
                      "-Denvmon.cluster.id=" + BenchFleet.CLUSTER),
                  "io.envmon.jobs.StreamJobsMain"),
              List.of());
      pids.put("jobs", List.of(jobs.pid()));
      awaitLog(jobs, work.resolve("jobs.log"), "envmon stream jobs running as job");
    }

    /**
     * The API as {@code ./envmon up} starts it ({@code io.envmon.api.Application}, {@code
     * -Xmx384m}, configured by the same environment variables), in a schema of its own, loading the
     * bench city, its points and an emergency user from a data file ({@link
     * BenchFleet#writeDataFile}); its outbox then publishes the points on {@code envmon.points.v1}
     * for the gateway and the jobs. Its alerts publisher to MQTT stays off (no broker login).
     * Returns once {@code /health} answers 200 and the emergency user has a token.
     */
    void startApi() throws Exception {
      try (Connection connection =
              DriverManager.getConnection(
                  infra.postgresJdbcUrl(), infra.postgresUser(), infra.postgresPassword());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      }
      String password = BenchFleet.secret();
      Path data = work.resolve("registry.json").toAbsolutePath();
      fleet.writeDataFile(data, EMERGENCY_USER, password);
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      api = URI.create("http://127.0.0.1:" + port);
      String jdbcUrl = infra.postgresJdbcUrl();
      byte[] key = new byte[48];
      new SecureRandom().nextBytes(key);
      Map<String, String> environment =
          Map.of(
              "ENVMON_API_HOST", "127.0.0.1",
              "ENVMON_API_PORT", Integer.toString(port),
              "ENVMON_POSTGRES_URL",
                  jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA,
              "ENVMON_POSTGRES_USER", infra.postgresUser(),
              "ENVMON_POSTGRES_PASSWORD", infra.postgresPassword(),
              "ENVMON_KAFKA_BOOTSTRAP", infra.kafkaBootstrap(),
              "ENVMON_INFLUX_URL", infra.influxUrl(),
              "ENVMON_REGISTRY_DATA", "file:" + data,
              "ENVMON_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(key));
      ChildProcess process =
          start(
              "api",
              ChildProcess.java(
                  "-Xmx384m",
                  logback,
                  List.of("-Denvmon.influx.database=" + DATABASE),
                  "io.envmon.api.Application"),
              environment,
              List.of());
      pids.put("api", List.of(process.pid()));
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (apiStatus("/health") != 200) {
        if (System.nanoTime() > deadline || !process.process.isAlive()) {
          throw new IllegalStateException("the API did not answer /health; see api.log");
        }
        Thread.sleep(500); // polling the API's health in a benchmark tool
      }
      HttpResponse<String> login =
          HTTP.send(
              HttpRequest.newBuilder(api.resolve("/api/v1/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSON.writeValueAsString(
                              Map.of("username", EMERGENCY_USER, "password", password))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (login.statusCode() != 200) {
        throw new IllegalStateException(
            "the API refused the bench's emergency login: " + login.statusCode());
      }
      apiToken = JSON.readTree(login.body()).path("access_token").asText();
    }

    int apiStatus(String path) throws InterruptedException {
      try {
        return HTTP.send(
                HttpRequest.newBuilder(api.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (IOException e) {
        return -1; // not listening yet
      }
    }

    /**
     * The city's gateways ({@code --gateways}, default 1), each with its own id, spool and health
     * port, all in the city's default MQTT shared-subscription group, so the broker hands each
     * reading to one of them. Returns once every one has learnt every bench point.
     */
    void startGateway() throws Exception {
      List<ChildProcess> started = new ArrayList<>();
      List<Long> gatewayPids = new ArrayList<>();
      for (int i = 1; i <= gateways; i++) {
        int healthPort;
        try (ServerSocket free = new ServerSocket(0)) {
          healthPort = free.getLocalPort();
        }
        gatewayHealthPorts.add(healthPort);
        String name = gateways == 1 ? "gateway" : "gateway-" + i;
        Path config = work.resolve(name + ".properties");
        Files.writeString(
            config,
            String.join(
                "\n",
                "city.id=" + fleet.city(),
                "gateway.id=bench-gw-" + i,
                "mqtt.url=" + infra.mqttUrl(),
                "mqtt.username=" + BenchFleet.gatewayUser(fleet.city()),
                "mqtt.password=" + BenchFleet.gatewayPassword(auth),
                "kafka.bootstrap=" + infra.kafkaBootstrap(),
                "spool.dir="
                    + work.resolve(gateways == 1 ? "spool" : "spool-" + i).toAbsolutePath(),
                "spool.fsync=" + options.value("fsync", "OPERATING_SYSTEM"),
                "credentials.file=" + auth.resolve("devices.properties").toAbsolutePath(),
                "hj212.port=-1",
                "health.port=" + healthPort,
                // The bench devices send far above a station's pace on purpose: no rate limit.
                "limit.rate.factor=0",
                ""));
        ChildProcess gateway =
            start(
                name,
                ChildProcess.java("-Xmx512m", logback, List.of(), "io.envmon.gateway.GatewayMain"),
                List.of(config.toString()));
        started.add(gateway);
        gatewayPids.add(gateway.pid());
      }
      pids.put("gateway", List.copyOf(gatewayPids));
      int points = fleet.airPoints().size() + fleet.probeDevice().points().size();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      for (int i = 0; i < gateways; i++) {
        while (metric(gatewayMetrics(i), "envmon_gateway_registry_points") < points) {
          if (System.nanoTime() > deadline || !started.get(i).process.isAlive()) {
            throw new IllegalStateException(
                "gateway "
                    + started.get(i).name
                    + " did not learn the "
                    + points
                    + " bench points; see its log");
          }
          Thread.sleep(500); // polling the gateway's metrics in a benchmark tool
        }
      }
    }

    /** What runs how many times: gateways, the jobs' parallelism, the readings' partitions. */
    String instances() {
      return "%d gateway%s, jobs parallelism %d, envmon.readings.v1 in %d partitions"
          .formatted(gateways, gateways == 1 ? "" : "s", parallelism, partitions);
    }

    void awaitLog(ChildProcess child, Path log, String text) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (!Files.readString(log).contains(text)) {
        if (System.nanoTime() > deadline || !child.process.isAlive()) {
          throw new IllegalStateException(child.name + " did not log '" + text + "'; see " + log);
        }
        Thread.sleep(500); // polling a log in a benchmark tool
      }
    }

    boolean wholePath(double[] ceiling, String loadAtStart) throws Exception {
      // the base of the counters, exact: the count between two equal readings of the counters
      long before;
      do {
        before = rawPointsWritten();
        storedBase = exactStored();
        pointsBase = rawPointsWritten();
      } while (pointsBase != before);
      ChildProcess generator = startGenerator("generator");
      pids.put("generator", List.of(generator.pid()));
      List<Double> rates =
          Arrays.stream(
                  options.value("rates", "1000,2000,4000,6000,8000,10000,15000,20000").split(","))
              .map(String::trim)
              .map(Double::parseDouble)
              .toList();
      int warmup = options.intValue("warmup-seconds", 60);
      double warmupRate = options.doubleValue("warmup-rate", rates.get(0));
      System.out.printf(
          "whole path: warm-up %d s at %,.0f readings/s offered (not counted)%n",
          warmup, warmupRate);
      generator.send("rate " + warmupRate);
      Thread.sleep(warmup * 1000L); // the warm-up, not counted
      settleJit();
      int profileStep = options.intValue("profile-step", 0);
      List<Step> steps = new ArrayList<>();
      for (int i = 0; i < rates.size(); i++) {
        boolean profiling = profileStep == i + 1;
        if (profiling) {
          jfr("start");
        }
        Step step = step(generator, rates.get(i));
        if (profiling) {
          jfr("stop");
        }
        steps.add(step);
        printStep(step);
        if (!step.sustained() && i + 1 >= profileStep) {
          break;
        }
      }
      AlertLatency.Result latency = null;
      double latencyRate = options.doubleValue("latency-rate", 5000);
      if (latencyRate > 0) {
        drain(generator);
        generator.send("rate " + latencyRate);
        long acked0 = generator.status(3);
        long stored0 = apiMetric("envmon_alerts_stored_total");
        long t0 = System.nanoTime();
        latency =
            AlertLatency.measure(
                infra,
                api,
                apiToken,
                fleet.probeDevice(),
                probes(),
                options.intValue("latency-seconds", 30),
                Duration.ofSeconds(options.intValue("latency-wait-seconds", 30)));
        double reached = (generator.status(3) - acked0) / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(
            "alert latency: the API's alert consumer stored %,d alert changes in the phase"
                + " (envmon_alerts_stored_total)%n",
            apiMetric("envmon_alerts_stored_total") - stored0);
        latency = latency.withLoad(latencyRate, reached);
      }
      generator.send("stop");
      generator.awaitLine("done"::equals, Duration.ofSeconds(150));
      Map<String, long[]> sent = new HashMap<>();
      for (String line : generator.lines()) {
        if (line.startsWith("station ")) {
          String[] f = line.split(" ");
          sent.put(f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
      }
      long totalAcked = sent.values().stream().mapToLong(s -> s[1]).sum();
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      // stored counts the probes' readings too, as spooled does: wait for both
      long stored = stored(generator.status(2));
      while ((stored < totalAcked || stored < gatewayMetric("envmon_gateway_accepted_total"))
          && System.nanoTime() < deadline) {
        Thread.sleep(2000); // polling InfluxDB in a benchmark tool
        stored = stored(generator.status(2));
      }
      System.out.printf(
          "stored in the end (every reading in raw, the probes' included): %,d by %s, %,d by an"
              + " exact count%n",
          stored,
          storedFromCounters ? "InfluxDB's write counters" : "a count query",
          exactStored());
      String accounting = account(sent);
      String loadAtEnd = ProcessCpu.loadAverage();
      printTable(ceiling, steps, latency, accounting, loadAtStart, loadAtEnd);
      if (latency != null && !latency.complete()) {
        System.out.println(
            "RESULT FAILED: a probe alert did not arrive at every hop within"
                + " --latency-wait-seconds (see the reading-to-alert table)");
      }
      return accounting.startsWith("all ") && (latency == null || latency.complete());
    }

    /**
     * Pauses the load until the readings stored caught up with those spooled (at most {@code
     * --drain-seconds}, 300): a step that was not sustained leaves a backlog, and latency measured
     * behind it is the backlog's.
     */
    void drain(ChildProcess generator) throws Exception {
      generator.send("rate 0");
      long t0 = System.nanoTime();
      long deadline = t0 + options.intValue("drain-seconds", 300) * 1_000_000_000L;
      long lag = gatewayMetric("envmon_gateway_accepted_total") - stored(generator.status(2));
      long before = lag;
      while (lag > 1_000 && System.nanoTime() < deadline) {
        Thread.sleep(2_000); // polling InfluxDB in a benchmark tool
        lag = gatewayMetric("envmon_gateway_accepted_total") - stored(generator.status(2));
      }
      System.out.printf(
          "latency phase: load paused %.0f s for the backlog to drain (spooled − stored %,d → %,d)%n",
          (System.nanoTime() - t0) / 1e9, before, lag);
    }

    List<NoiseStation> probes() {
      return fleet.probeDevice().points().stream()
          .map(
              p ->
                  new NoiseStation(
                      p,
                      fleet.city(),
                      ZoneId.of("Asia/Shanghai"),
                      NoiseZone.Z1,
                      Duration.ofMinutes(1),
                      44))
          .toList();
    }

    /** One step at {@code offered} readings/s. */
    Step step(ChildProcess generator, double offered) throws Exception {
      String loadBefore = ProcessCpu.loadAverage();
      generator.send("rate " + offered);
      // the first samples: the counters at the step's start
      long t0 = System.nanoTime();
      long acked0 = generator.status(3);
      long spooled0 = gatewayMetric("envmon_gateway_accepted_total");
      long queryStart = System.nanoTime();
      long stored0 = stored(generator.status(2));
      double queryMillis = (System.nanoTime() - queryStart) / 1e6;
      int queries = 1;
      Map<String, Long> cpu0 = cpuOfParts();
      Map<String, Map<Long, Long>> jit0 = jitOfParts();
      List<double[]> lag = new ArrayList<>();
      lag.add(new double[] {0, spooled0 - stored0});
      long end = t0 + stepSeconds * 1_000_000_000L;
      while (true) {
        long next = Math.min(end, System.nanoTime() + sampleSeconds * 1_000_000_000L);
        Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000)); // the sample period
        if (System.nanoTime() >= end) {
          break;
        }
        long spooled = gatewayMetric("envmon_gateway_accepted_total");
        queryStart = System.nanoTime();
        long stored = stored(generator.status(2));
        queryMillis += (System.nanoTime() - queryStart) / 1e6;
        queries++;
        lag.add(new double[] {(System.nanoTime() - t0) / 1e9, spooled - stored});
      }
      Map<String, Long> cpu1 = cpuOfParts();
      Map<String, Map<Long, Long>> jit1 = jitOfParts();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long acked1 = generator.status(3);
      long spooled1 = gatewayMetric("envmon_gateway_accepted_total");
      queryStart = System.nanoTime();
      long stored1 = stored(generator.status(2));
      queryMillis += (System.nanoTime() - queryStart) / 1e6;
      queries++;
      lag.add(new double[] {seconds, spooled1 - stored1});
      long storedInStep = stored1 - stored0;
      Map<String, Double> perReading = new LinkedHashMap<>();
      for (String part : PARTS) {
        perReading.put(
            part, (cpu1.get(part) - cpu0.get(part)) / (double) Math.max(1, storedInStep));
      }
      Map<String, Double> jitPerReading = new LinkedHashMap<>();
      for (String part : PARTS) {
        jitPerReading.put(
            part,
            ProcessCpu.jitMicrosBetween(jit0.get(part), jit1.get(part))
                / (double) Math.max(1, storedInStep));
      }
      double pubacked = (acked1 - acked0) / seconds;
      double spooledRate = (spooled1 - spooled0) / seconds;
      double storedRate = storedInStep / seconds;
      double slope = slope(lag);
      List<String> shortfall = new ArrayList<>();
      if (pubacked < 0.97 * offered) {
        shortfall.add("PUBACKed %.0f %%".formatted(100 * pubacked / offered));
      }
      if (spooledRate < 0.97 * offered) {
        shortfall.add("spooled %.0f %%".formatted(100 * spooledRate / offered));
      }
      if (storedRate < 0.97 * offered) {
        shortfall.add("stored %.0f %%".formatted(100 * storedRate / offered));
      }
      if (slope > 0.02 * offered) {
        shortfall.add("lag grows");
      }
      return new Step(
          offered,
          seconds,
          pubacked,
          spooledRate,
          storedRate,
          spooled0 - stored0,
          spooled1 - stored1,
          slope,
          perReading,
          jitPerReading,
          queryMillis / queries,
          storedFromCounters ? "stats query" : "count query",
          String.join(", ", shortfall),
          loadBefore,
          ProcessCpu.loadAverage());
    }

    /** Least-squares slope of {time, lag} samples: readings per second the lag grows. */
    static double slope(List<double[]> samples) {
      double n = samples.size();
      double sx = 0;
      double sy = 0;
      double sxx = 0;
      double sxy = 0;
      for (double[] s : samples) {
        sx += s[0];
        sy += s[1];
        sxx += s[0] * s[0];
        sxy += s[0] * s[1];
      }
      double d = n * sxx - sx * sx;
      return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    void printStep(Step s) {
      System.out.printf(
          "step %,.0f/s offered for %.0f s (load %s → %s): PUBACKed %,.0f/s, spooled %,.0f/s,"
              + " stored %,.0f/s; lag spooled−stored %,d → %,d (trend %+,.0f readings/s); %s;"
              + " CPU µs/reading %s (of which JIT compilers: %s); %s %.0f ms%n",
          s.offered(),
          s.seconds(),
          s.loadBefore(),
          s.loadAfter(),
          s.pubacked(),
          s.spooled(),
          s.stored(),
          s.lagStart(),
          s.lagEnd(),
          s.lagSlope(),
          s.sustained() ? "sustained" : "NOT sustained (" + s.shortfall() + ")",
          cpuText(s.cpuPerReading()),
          cpuText(s.jitPerReading()),
          s.storedQuery(),
          s.storedQueryMillis());
    }

    static String cpuText(Map<String, Double> perReading) {
      StringBuilder text = new StringBuilder();
      perReading.forEach((part, micros) -> text.append(" %s %.1f".formatted(part, micros)));
      return text.toString().trim();
    }

    void jfr(String what) throws Exception {
      Path dir = work.resolve("jfr").toAbsolutePath();
      Files.createDirectories(dir);
      // the first gateway's profile stands for them all
      for (String part : List.of("gateway", "jobs", "generator")) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pids.get(part).get(0)));
        if (what.equals("start")) {
          command.addAll(List.of("JFR.start", "name=bench", "settings=profile"));
        } else {
          command.addAll(
              List.of("JFR.stop", "name=bench", "filename=" + dir.resolve(part + ".jfr")));
        }
        Process jcmd =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("jcmd.log").toFile())
                .start();
        if (jcmd.waitFor() != 0) {
          System.out.printf(
              "jcmd %s for %s failed (see %s)%n", what, part, work.resolve("jcmd.log"));
        }
      }
      if (what.equals("stop")) {
        System.out.printf("JFR recordings of the step: %s/{gateway,jobs,generator}.jfr%n", dir);
      }
    }

    void printTable(
        double[] ceiling,
        List<Step> steps,
        AlertLatency.Result latency,
        String accounting,
        String loadAtStart,
        String loadAtEnd) {
      System.out.println();
      System.out.printf("RESULT load average at start %s, at end %s%n", loadAtStart, loadAtEnd);
      System.out.printf("RESULT instances: %s%n", instances());
      System.out.println(
          "| offered/s | PUBACKed/s | spooled (edge)/s | stored/s | lag start → end | lag trend/s |"
              + " sustained | CPU µs/reading: mosquitto | gateway | kafka | jobs | influxdb | api |"
              + " postgresql | generator | all but generator | of which JIT compilers | load avg |");
      System.out.println(
          "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
              + " ---: | ---: | ---: | ---: | ---: | --- |");
      Step best = null;
      for (Step s : steps) {
        double platform =
            s.cpuPerReading().entrySet().stream()
                .filter(e -> !e.getKey().equals("generator"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        double platformJit =
            s.jitPerReading().entrySet().stream()
                .filter(e -> !e.getKey().equals("generator"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        Map<String, Double> c = s.cpuPerReading();
        System.out.printf(
            "| %,.0f | %,.0f | %,.0f | %,.0f | %,d → %,d | %+,.0f | %s | %.1f | %.1f | %.1f | %.1f |"
                + " %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s → %s |%n",
            s.offered(),
            s.pubacked(),
            s.spooled(),
            s.stored(),
            s.lagStart(),
            s.lagEnd(),
            s.lagSlope(),
            s.sustained() ? "yes" : "**no** (" + s.shortfall() + ")",
            c.get("mosquitto"),
            c.get("gateway"),
            c.get("kafka"),
            c.get("jobs"),
            c.get("influxdb"),
            c.get("api"),
            c.get("postgresql"),
            c.get("generator"),
            platform,
            platformJit,
            s.loadBefore(),
            s.loadAfter());
        if (s.sustained() && (best == null || s.stored() > best.stored())) {
          best = s;
        }
      }
      System.out.printf(
          "RESULT mosquitto alone: %,.0f messages/s received (%,.0f PUBACKed/s); CPU µs per"
              + " message: mosquitto %.1f, plain subscriber %.1f, generator %.1f%n",
          ceiling[0], ceiling[1], ceiling[2], ceiling[3], ceiling[4]);
      if (best == null) {
        System.out.println("RESULT no step was sustained");
      } else {
        System.out.printf(
            "RESULT highest sustained: %,.0f readings/s offered, %,.0f/s stored; ratio stored /"
                + " mosquitto alone %.2f%n",
            best.offered(), best.stored(), ceiling[0] == 0 ? 0 : best.stored() / ceiling[0]);
      }
      if (latency != null) {
        System.out.println("RESULT " + latency);
        System.out.println(latency.table());
      }
      System.out.println("RESULT accounting: " + accounting);
    }

    /**
     * Compares, per station, the readings the generator had PUBACKed with InfluxDB's count, first
     * and last timestamp of the station's series.
     */
    String account(Map<String, long[]> sent) throws Exception {
      Map<String, Long> count = perPoint("count(pm25)", false);
      Map<String, Long> first = perPoint("first(pm25)", true);
      Map<String, Long> last = perPoint("last(pm25)", true);
      long missing = 0;
      long extra = 0;
      int badStations = 0;
      long total = 0;
      for (Map.Entry<String, long[]> e : sent.entrySet()) {
        long n = e.getValue()[0];
        long acked = e.getValue()[1];
        total += acked;
        long stored = count.getOrDefault(e.getKey(), 0L);
        if (stored < acked) {
          missing += acked - stored;
        }
        if (stored > n) {
          extra += stored - n;
        }
        if (n > 0 && stored > 0) {
          long firstMillis = first.get(e.getKey());
          long span = last.get(e.getKey()) - firstMillis;
          // a gap in the sequence numbers, or a sequence that does not start at 0
          if (span != (stored - 1) * spacing.toMillis()
              || firstMillis != generatorStart.toEpochMilli()) {
            badStations++;
          }
        }
      }
      long storedTotal = count.values().stream().mapToLong(Long::longValue).sum();
      String verdict = missing == 0 && extra == 0 && badStations == 0 ? "all " : "INCOMPLETE: ";
      return verdict
          + "%,d readings PUBACKed by %d stations, %,d stored; %,d missing, %,d beyond those sent,"
              .formatted(total, sent.size(), storedTotal, missing, extra)
          + " %d stations with a gap in their sequence numbers".formatted(badStations);
    }

    Map<String, Long> perPoint(String selector, boolean time) throws Exception {
      JsonNode result =
          influxQuery(
              "SELECT " + selector + " FROM \"raw\".reading WHERE kind='AIR' GROUP BY point");
      Map<String, Long> values = new HashMap<>();
      for (JsonNode series : result.path("series")) {
        JsonNode row = series.path("values").path(0);
        values.put(series.path("tags").path("point").asText(), row.path(time ? 0 : 1).asLong());
      }
      return values;
    }

    /**
     * The readings stored in {@code raw} so far, of every station and probe: from InfluxDB's write
     * counters, two points a reading, while every reading the generator has sent (its first {@code
     * sent}) was late when written (the probes' are: 12 h old); from then on by a count query. A
     * reading InfluxDB wrote twice (the jobs' replay after a failure) counts twice here.
     */
    long stored(long sent) throws Exception {
      if (storedFromCounters
          && !InfluxWriteStats.everyReadingLate(
              generatorStart, spacing, fleet.airPoints().size(), sent, generatorLaunched)) {
        storedFromCounters = false;
        System.out.printf(
            "stored: the generator's readings are no longer late (observed up to %s), so InfluxDB's"
                + " write counters cannot tell readings from rollup marks; from here stored is"
                + " counted by a query%n",
            generatorStart.plus(spacing.multipliedBy((sent - 1) / fleet.airPoints().size())));
      }
      if (!storedFromCounters) {
        return exactStored();
      }
      long points = rawPointsWritten();
      if (points < pointsBase) {
        storedFromCounters = false;
        System.out.println(
            "stored: InfluxDB's write counters went back (restarted, or a shard dropped); from"
                + " here stored is counted by a query");
        return exactStored();
      }
      return storedBase + (points - pointsBase) / InfluxWriteStats.POINTS_PER_LATE_READING;
    }

    /** The points InfluxDB has written into {@code raw} since it started. */
    long rawPointsWritten() throws Exception {
      return InfluxWriteStats.pointsWritten(
          influxQuery(InfluxWriteStats.QUERY), DATABASE, ReadingStore.RAW_POLICY);
    }

    /** Every reading in {@code raw}, counted by a query that scans them all. */
    long exactStored() throws Exception {
      JsonNode result = influxQuery("SELECT count(reading_id) FROM " + ReadingStore.RAW_READINGS);
      return result.path("series").path(0).path("values").path(0).path(1).asLong();
    }

    JsonNode influxQuery(String query) throws Exception {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              infra.influxUrl()
                                  + "/query?epoch=ms&db="
                                  + DATABASE
                                  + "&q="
                                  + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return JSON.readTree(body).path("results").path(0);
    }

    void influx(String query) throws Exception {
      HTTP.send(
          HttpRequest.newBuilder(URI.create(infra.influxUrl() + "/query"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** A counter summed over the gateways (each counts what it took). */
    long gatewayMetric(String name) throws Exception {
      long sum = 0;
      for (int i = 0; i < gatewayHealthPorts.size(); i++) {
        long value = metric(gatewayMetrics(i), name);
        if (value < 0) {
          return -1;
        }
        sum += value;
      }
      return sum;
    }

    URI gatewayMetrics(int gateway) {
      return URI.create("http://127.0.0.1:" + gatewayHealthPorts.get(gateway) + "/metrics");
    }

    /** A counter of the API's Prometheus endpoint (docs/api.md); -1 when absent. */
    long apiMetric(String name) throws Exception {
      return metric(api.resolve("/prometheus"), name);
    }

    /** A value of a Prometheus text page; -1 when absent or the process does not answer. */
    static long metric(URI page, String name) throws Exception {
      String body;
      try {
        body =
            HTTP.send(
                    HttpRequest.newBuilder(page).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      } catch (IOException e) {
        return -1; // not listening yet
      }
      for (String line : body.split("\n")) {
        if (line.startsWith(name + " ")) {
          return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
      return -1;
    }

    /**
     * The contract topics, as the launcher's {@code ensure_topics} creates them for {@code ./envmon
     * up}: the registry topic compacted with one partition, the review marks kept whole with one,
     * the others with two. The points are not written here: the API registers them and publishes
     * them through its outbox.
     */
    void prepareKafka() throws Exception {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic("envmon.readings.v1", partitions, (short) 1));
        topics.add(
            new NewTopic("envmon.points.v1", 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")));
        topics.add(
            new NewTopic("envmon.review-marks.v1", 1, (short) 1)
                .configs(Map.of("retention.ms", "-1")));
        for (String topic :
            List.of("envmon.alerts.v1", "envmon.sharing-ratios.v1", "envmon.deadletter.v1")) {
          topics.add(new NewTopic(topic, 2, (short) 1));
        }
        for (NewTopic topic : topics) {
          try {
            admin.createTopics(List.of(topic)).all().get();
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw e;
            }
          }
        }
      }
    }
  }
}
