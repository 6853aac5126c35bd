package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.alert.AlertState;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar ({@code stream-jobs-<version>-job.jar}) submitted with {@code flink run -d} to a
 * Flink standalone session cluster — a JobManager ({@code StandaloneSessionClusterEntrypoint}) and
 * a TaskManager ({@code TaskManagerRunner}) in JVMs of their own, on a classpath of the Flink
 * modules alone (flink-dist is not on Maven Central; docs/stream-jobs.md) — persists readings to
 * InfluxDB and raises an alert that a read_committed consumer sees, on the contract's topics.
 */
@WithRealInfrastructure
class StandaloneClusterIT {

  private static final String OPENS =
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED"
          + " --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
          + " --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED"
          + " --add-opens=java.base/java.net=ALL-UNNAMED"
          + " --add-opens=java.base/java.io=ALL-UNNAMED"
          + " --add-opens=java.base/java.nio=ALL-UNNAMED"
          + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
          + " --add-opens=java.base/java.text=ALL-UNNAMED"
          + " --add-opens=java.base/java.time=ALL-UNNAMED"
          + " --add-opens=java.base/java.util=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

  private static final Pattern JOB_ID = Pattern.compile("submitted with JobID ([0-9a-f]{32})");

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String pointId = "sc-air-" + suffix.substring(0, 12);
  private final String database = "it_cluster_" + suffix;
  // After "now", so that other tests' readings on the shared topic never make these late.
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private Path logs;
  private Infrastructure infra;
  private AirEpisode episode;
  private String rest;

  @Test
  void theJobJarSubmittedToASessionClusterPersistsReadingsAndRaisesAlerts(
      Infrastructure infra, @TempDir Path work) throws Exception {
    this.infra = infra;
    episode = new AirEpisode(infra.kafkaBootstrap(), "sc", pointId, t0);
    ContractTopics.create(infra.kafkaBootstrap());
    logs = Files.createDirectories(Paths.get("target", "standalone-cluster", suffix));
    Path conf = writeConfiguration(Files.createDirectories(work.resolve("conf")));
    String classpath = clusterClasspath();

    processes.add(
        start(
            "jobmanager",
            List.of(
                "-Xmx512m",
                "-cp",
                classpath,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "--configDir",
                conf.toString()),
            conf,
            Map.of()));
    processes.add(
        start(
            "taskmanager",
            List.of(
                "-Xmx400m",
                "-Xms400m",
                "-XX:MaxDirectMemorySize=200m",
                "-XX:MaxMetaspaceSize=256m",
                "-cp",
                classpath,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                conf.toString()),
            conf,
            Map.of()));
    await("a TaskManager with 4 free slots registered at " + rest)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> get("/overview").contains("\"slots-available\":4"));

    String jobId = submit(conf, work.resolve("checkpoints").toUri().toString());
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      await("job " + jobId + " RUNNING")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> get("/jobs/" + jobId).contains("\"state\":\"RUNNING\""));

      episode.pm25(10, 180);
      episode.pm25(30, 180);
      episode.pm25(50, 180);
      episode.pm25(65, 180); // the point moves past its first hour: AQI 230 raises the alert

      await("4 readings of " + pointId + " in InfluxDB " + database)
          .atMost(Duration.ofSeconds(90))
          .until(() -> episode.readingCount(influx, database) == 4);
      await("a committed AIR_QUALITY alert for " + pointId)
          .atMost(Duration.ofSeconds(90))
          .until(() -> !episode.airAlerts().isEmpty());
      assertThat(episode.airAlerts())
          .singleElement()
          .satisfies(
              alert -> {
                assertThat(alert.state()).isEqualTo(AlertState.RAISED);
                assertThat(alert.startedAt()).isEqualTo(t0.plus(Duration.ofHours(1)));
                assertThat(alert.cityId()).isEqualTo("sc");
              });
      assertThat(get("/jobs/" + jobId)).contains("\"state\":\"RUNNING\"");
    } finally {
      cancel(jobId);
      try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
  }

  @AfterEach
  void stopTheCluster() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code flink run -d}: CliFrontend in a JVM of its own, configured like a real client. */
  private String submit(Path conf, String checkpoints) throws Exception {
    Path jar = Paths.get(System.getProperty("envmon.job.jar", "target/missing-job.jar"));
    assertThat(jar).as("the job jar (built by ./mvnw package of stream-jobs)").exists();
    Process client =
        start(
            "client",
            List.of(
                "-Xmx256m",
                "-cp",
                clusterClasspath(),
                "org.apache.flink.client.cli.CliFrontend",
                "run",
                "-d",
                "-m",
                rest.substring("http://".length()),
                "-c",
                "io.envmon.jobs.StreamJobsMain",
                jar.toAbsolutePath().toString()),
            conf,
            Map.of(
                "ENVMON_KAFKA_BOOTSTRAP",
                infra.kafkaBootstrap(),
                "ENVMON_KAFKA_GROUP",
                "it-cluster-" + suffix,
                "ENVMON_INFLUX_URL",
                infra.influxUrl(),
                "ENVMON_INFLUX_DATABASE",
                database,
                "ENVMON_CHECKPOINT_DIR",
                checkpoints,
                "ENVMON_CHECKPOINT_INTERVAL",
                "PT1S",
                "ENVMON_TIME_ARRIVAL_ALLOWANCE",
                "PT1S",
                "ENVMON_PARALLELISM",
                "1"));
    boolean ended = client.waitFor(120, TimeUnit.SECONDS);
    String output = Files.readString(logs.resolve("client.log"));
    if (!ended) {
      client.destroyForcibly();
    }
    assertThat(ended).as("flink run -d returns once submitted; its output:%n%s", output).isTrue();
    assertThat(client.exitValue()).as("flink run -d exit code; its output:%n%s", output).isZero();
    Matcher id = JOB_ID.matcher(output);
    assertThat(id.find()).as("a JobID in the output of flink run -d:%n%s", output).isTrue();
    return id.group(1);
  }

  private Process start(String name, List<String> args, Path conf, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(OPENS.split(" ")));
    command.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml"));
    command.add("-Dlog.file=" + logs.resolve(name + ".log").toAbsolutePath());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("FLINK_CONF_DIR", conf.toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(logs.resolve(name + ".log").toFile());
    return builder.start();
  }

  /** The Flink modules as lib/ of a distribution would hold them, plus a logging backend. */
  private static String clusterClasspath() throws IOException, URISyntaxException {
    Path file =
        Paths.get(
            System.getProperty("envmon.flink.cluster.classpath", "target/flink-cluster.classpath"));
    assertThat(file)
        .as("the cluster classpath (maven-dependency-plugin, stream-jobs pom)")
        .exists();
    return Files.readString(file).strip()
        + java.io.File.pathSeparator
        + jarOf(ch.qos.logback.classic.Logger.class)
        + java.io.File.pathSeparator
        + jarOf(ch.qos.logback.core.Appender.class);
  }

  private static String jarOf(Class<?> type) throws URISyntaxException {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private Path writeConfiguration(Path conf) throws IOException {
    int rpc = freePort();
    int restPort = freePort();
    int blob = freePort();
    rest = "http://127.0.0.1:" + restPort;
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpc,
            "jobmanager.bind-host: 127.0.0.1",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "blob.server.port: " + blob,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: 4",
            // What bin/taskmanager.sh would compute: TaskManagerRunner insists on explicit sizes.
            "taskmanager.cpu.cores: 2",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.task.heap.size: 256m",
            "taskmanager.memory.framework.off-heap.size: 64m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.managed.size: 64m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 64m",
            "taskmanager.memory.jvm-overhead.max: 64m",
            "jobmanager.memory.process.size: 1g",
            "parallelism.default: 1",
            ""));
    Files.writeString(
        conf.resolve("logback.xml"),
        String.join(
            "\n",
            "<configuration>",
            "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} -"
                + " %msg%n</pattern></encoder>",
            "  </appender>",
            "  <logger name=\"io.envmon\" level=\"INFO\"/>",
            "  <logger name=\"org.apache.flink\" level=\"INFO\"/>",
            "  <logger name=\"org.apache.kafka\" level=\"WARN\"/>",
            "  <root level=\"WARN\"><appender-ref ref=\"out\"/></root>",
            "</configuration>",
            ""));
    return conf;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private String get(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(rest + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (IOException e) {
      return ""; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void cancel(String jobId) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("cancel: %s", response.body()).isEqualTo(202);
    await("job " + jobId + " CANCELED")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> get("/jobs/" + jobId).contains("\"state\":\"CANCELED\""));
  }
}
