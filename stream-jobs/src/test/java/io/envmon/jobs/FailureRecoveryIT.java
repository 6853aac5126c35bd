package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs are cancelled mid-episode and started again as {@code ./envmon up} does, without
 * envmon.restore-from: they find their last checkpoint by themselves, no reading is lost or
 * duplicated in InfluxDB, and the alert that was active is not raised again — it clears under its
 * original id. A checkpoint the program cannot use stops the start with what to do.
 */
@WithRealInfrastructure
class FailureRecoveryIT {

  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final String pointId = "rc-air-" + suffix.substring(0, 12);
  private final String database = "it_recovery_" + suffix;
  // Hours already past: the episode arrives as a back-fill, rated as the point's readings move on.
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(4));
  private Infrastructure infra;
  private AirEpisode episode;

  @Test
  void restoringFromTheCheckpointLosesNoReadingAndRaisesNoActiveAlertAgain(
      Infrastructure infra, @TempDir Path checkpoints) throws Exception {
    this.infra = infra;
    episode = new AirEpisode(infra.kafkaBootstrap(), "rc", pointId, t0);
    createContractTopics();
    Properties properties = new Properties();
    properties.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
    properties.setProperty("envmon.kafka.group", "it-recovery-" + suffix);
    properties.setProperty("envmon.influx.url", infra.influxUrl());
    properties.setProperty("envmon.influx.database", database);
    properties.setProperty("envmon.checkpoint.dir", checkpoints.toUri().toString());
    properties.setProperty("envmon.checkpoint.interval", "PT1S");
    properties.setProperty("envmon.time.arrival-allowance", "PT1S");
    properties.setProperty("envmon.parallelism", "1");

    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      JobClient first = StreamJobsMain.start(StreamJobsSettings.from(properties, Map.of()));
      try {
        episode.pm25(10, 180);
        episode.pm25(30, 180);
        episode.pm25(50, 180);
        episode.pm25(65, 180); // the point moves past its first hour: AQI 230 raises the alert
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> episode.airAlerts().stream().anyMatch(a -> a.state() == AlertState.RAISED));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> episode.readingCount(influx, database) == 4);
      } finally {
        first.cancel().get();
      }

      episode.pm25(90, 180); // hour 2 still heavy: no new event
      episode.pm25(130, 40);
      episode.pm25(160, 40);
      episode.pm25(185, 40); // hour 3 recovered: clears
      Path latest = latestCheckpoint(checkpoints);
      // Decoys: an older run's checkpoint with a higher id (unreadable: restoring it would fail)
      // and a newer one that never completed (no _metadata).
      Path older = Files.createDirectories(checkpoints.resolve("0".repeat(32)).resolve("chk-999"));
      Files.writeString(older.resolve("_metadata"), "not a checkpoint");
      Files.setLastModifiedTime(
          older.resolve("_metadata"), FileTime.from(Instant.now().minus(Duration.ofDays(1))));
      Files.createDirectories(latest.resolveSibling("chk-1000"));

      StreamJobsSettings again = StreamJobsSettings.from(properties, Map.of());
      assertThat(again.restoreFrom()).isNull();
      RestorePoint found = StreamJobsMain.restorePoint(again);
      assertThat(found.automatic()).isTrue();
      assertThat(Path.of(java.net.URI.create(found.path()))).isEqualTo(latest);
      JobClient second = StreamJobsMain.start(again);
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> episode.airAlerts().stream().anyMatch(a -> a.state() == AlertState.CLEARED));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> episode.readingCount(influx, database) == 8);
      } finally {
        second.cancel().get();
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }

    List<Alert> events = episode.airAlerts();
    assertThat(events)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(events.get(1).alertId()).isEqualTo(events.get(0).alertId());
    assertThat(events.get(0).startedAt()).isEqualTo(t0.plus(Duration.ofHours(1)));
  }

  @Test
  void aCheckpointOfAnotherProgramStopsTheStartNamingItAndHowToStartFresh(
      Infrastructure infra, @TempDir Path checkpoints) throws Exception {
    this.infra = infra;
    createContractTopics();
    Path older = OlderVersionCheckpoint.write(checkpoints, "an-operator-we-no-longer-have");
    Properties properties = new Properties();
    properties.setProperty("envmon.kafka.bootstrap", infra.kafkaBootstrap());
    properties.setProperty("envmon.kafka.group", "it-recovery-refused-" + suffix);
    properties.setProperty("envmon.influx.url", infra.influxUrl());
    properties.setProperty("envmon.influx.database", database);
    properties.setProperty("envmon.checkpoint.dir", checkpoints.toUri().toString());
    properties.setProperty("envmon.checkpoint.interval", "PT1S");
    properties.setProperty("envmon.parallelism", "1");

    assertThatThrownBy(() -> StreamJobsMain.start(StreamJobsSettings.from(properties, Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot restore the stream jobs from")
        .hasMessageContaining(older.getFileName().toString())
        .hasMessageContaining("the newest complete checkpoint under " + checkpoints.toUri())
        .hasMessageContaining("set envmon.restore-from=none");

    properties.setProperty("envmon.restore-from", "none");
    StreamJobsSettings fresh = StreamJobsSettings.from(properties, Map.of());
    assertThat(StreamJobsMain.restorePoint(fresh).path()).isNull();
    JobClient job = StreamJobsMain.start(fresh);
    job.cancel().get();
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      influx.query(new Query("DROP DATABASE \"" + database + "\""));
    }
  }

  private void createContractTopics() throws Exception {
    ContractTopics.create(infra.kafkaBootstrap());
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
