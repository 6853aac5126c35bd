package io.envmon.jobs;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.wire.KafkaTopics;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.ingest.DeadLetter;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.jobs.logging.RepeatedCommitterGaugeWarning;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.SharingRatioJob;
import io.envmon.jobs.ratio.SharingRatioRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every envmon stream job: in a local MiniCluster when started with {@code java -cp …}, or on
 * a Flink cluster when the same jar is submitted with {@code flink run} (docs/stream-jobs.md).
 */
public final class StreamJobsMain {
  private static final Logger LOG = LoggerFactory.getLogger(StreamJobsMain.class);

  private StreamJobsMain() {}

  public static void main(String[] args) throws Exception {
    StreamJobsSettings settings = StreamJobsSettings.from(System.getProperties(), System.getenv());
    RestorePoint restore = restorePoint(settings);
    StreamExecutionEnvironment env = environment(settings, restore);
    JobClient job = start(settings, env, restore);
    if (waitsForTheJob(env)) {
      job.getJobExecutionResult().get();
    } else {
      LOG.info(
          "submitted detached (flink run -d): job {} goes on without this client", job.getJobID());
    }
  }

  /**
   * In a local MiniCluster, main must outlive the job; {@code flink run} waits unless it was given
   * {@code -d} ({@code execution.attached: false}), and then main returns once the job is
   * submitted.
   */
  static boolean waitsForTheJob(StreamExecutionEnvironment env) {
    return env instanceof LocalStreamEnvironment
        || env.getConfiguration().get(DeploymentOptions.ATTACHED);
  }

  /**
   * Builds the pipeline and submits it; the caller waits on or cancels the returned job. When the
   * job restores a checkpoint, returns once it has completed one of its own ({@link RestoreCheck}).
   */
  static JobClient start(StreamJobsSettings settings) throws Exception {
    RestorePoint restore = restorePoint(settings);
    return start(settings, environment(settings, restore), restore);
  }

  private static JobClient start(
      StreamJobsSettings settings, StreamExecutionEnvironment env, RestorePoint restore)
      throws Exception {
    dropRepeatedCommitterWarning();
    LOG.info(
        "envmon stream jobs starting: Kafka {}, InfluxDB {} (database {}), checkpoints {} every {}"
            + " ({}), parallelism {}, platform clock {} (lateness horizon {}), cluster '{}'"
            + " cities {}",
        settings.kafkaBootstrap(),
        settings.influxUrl(),
        settings.influxDatabase(),
        settings.checkpointDir(),
        settings.checkpointInterval(),
        settings.exactlyOnce() ? "exactly-once" : "at-least-once",
        settings.parallelism(),
        settings.arrivalClock(),
        settings.latenessHorizon(),
        settings.clusterId(),
        settings.cityIds().isEmpty() ? "(from the registry)" : settings.cityIds());
    pipeline(settings, restore.path() != null)
        .attach(env, settings.arrivalClock(), settings.alertSettings(), settings.ratioSettings());
    LOG.info("envmon stream jobs restoring state from {}", restore.description());
    JobClient job;
    try {
      job = env.executeAsync("envmon stream jobs");
    } catch (Exception refused) {
      if (restore.path() == null) {
        throw refused;
      }
      // Flink checks the checkpoint against the program before it runs anything.
      String message =
          RestoreCheck.message(
              restore,
              settings.checkpointDir(),
              "Flink refused it: " + RestoreCheck.causes(refused));
      LOG.error(message);
      throw new IllegalStateException(message, refused);
    }
    if (restore.path() != null) {
      confirmRestore(settings, env, restore, job);
    }
    LOG.info(
        "envmon stream jobs running as job {}: reading {}, {} and {}; writing {}, {}, {} and"
            + " InfluxDB measurements reading, alert, sharing_ratio",
        job.getJobID(),
        KafkaTopics.READINGS,
        KafkaTopics.POINTS,
        KafkaTopics.REVIEW_MARKS,
        KafkaTopics.ALERTS,
        KafkaTopics.SHARING_RATIOS,
        KafkaTopics.DEADLETTER);
    return job;
  }

  /**
   * When the job restores a checkpoint: waits, while {@code main} would wait for the job anyway,
   * until the job has completed a checkpoint of its own; a job whose restore fails is stopped and
   * start fails with what to do ({@link RestoreCheck}). A detached submission is not watched.
   */
  private static void confirmRestore(
      StreamJobsSettings settings,
      StreamExecutionEnvironment env,
      RestorePoint restore,
      JobClient job)
      throws Exception {
    if (!waitsForTheJob(env)) {
      return;
    }
    LOG.info(
        "envmon stream jobs submitted as job {}; waiting for its first checkpoint to confirm the"
            + " restore",
        job.getJobID());
    try {
      RestorePoint.Checkpoint first =
          RestoreCheck.await(
              job, settings.checkpointDir(), restore, RestoreCheck.RESTARTS_TOLERATED);
      LOG.info(
          "envmon stream jobs restored their state from {}: checkpoint {} of job {} completed",
          restore.path(),
          first.id(),
          job.getJobID());
    } catch (IllegalStateException failed) {
      LOG.error(failed.getMessage());
      throw failed;
    }
  }

  /** envmon.restore-from, or the newest complete checkpoint under the checkpoint directory. */
  static RestorePoint restorePoint(StreamJobsSettings settings) throws IOException {
    return RestorePoint.choose(settings.restoreFrom(), settings.checkpointDir());
  }

  /**
   * Flink's Kafka sink committers warn at every checkpoint that their 'pendingCommittables' gauge
   * exists (FLINK-35321, not our doing): that one message is kept out of the local log.
   */
  private static void dropRepeatedCommitterWarning() {
    if (RepeatedCommitterGaugeWarning.dropFromLogback()) {
      LOG.info(
          "Flink re-registers each Kafka sink committer's 'pendingCommittables' gauge at every"
              + " checkpoint (FLINK-35321); its 'Name collision' warning is left out of this log"
              + " (every other metric warning stays)");
    }
  }

  static StreamExecutionEnvironment environment(StreamJobsSettings settings, RestorePoint restore) {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
    if (settings.stateChangelog()) {
      // A checkpoint writes the state changes since the last one, not all the state: the hours
      // AIR_QUALITY keeps for the lateness horizon are written in full only at each
      // materialization (docs/stream-jobs.md "Checkpoints").
      config.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
      config.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
      config.set(
          FsStateChangelogOptions.BASE_PATH,
          settings.checkpointDir().replaceAll("/+$", "") + "/changelog");
    }
    config.set(
        CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
        settings.exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
    // Keep the last checkpoint when the job is cancelled or killed, to restart from it.
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    // Restored by Flink itself; state of an operator the program no longer has is refused
    // (allowNonRestoredState stays false), so nothing is dropped without the operator knowing.
    if (restore.path() != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.path());
      if (settings.stateChangelog()) {
        // The changelog backend cannot write the full first checkpoint NO_CLAIM needs: the new
        // run takes the checkpoint over, and it is deleted once a checkpoint of its own subsumes
        // it.
        config.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
      }
    }
    // In a local MiniCluster the job manager reports every restart here (RestoreCheck).
    JobRestarts.install(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(settings.parallelism());
    return env;
  }

  /**
   * The production pipeline; {@code restoring} when it starts from a checkpoint, whose registry
   * reader is already where its consumer group committed (so it need not wait for the registry's
   * end there).
   */
  static StreamJobs pipeline(StreamJobsSettings settings, boolean restoring) {
    KafkaEndpoints kafka =
        new KafkaEndpoints(
            settings.kafkaBootstrap(),
            settings.consumerGroup(),
            false,
            settings.exactlyOnce()
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE);
    String influx = settings.influxUrl();
    String database = settings.influxDatabase();
    return new StreamJobs(
        kafka.readings(KafkaTopics.READINGS),
        kafka.points(KafkaTopics.POINTS),
        kafka.sink(KafkaTopics.DEADLETTER, "envmon-deadletter", deadLetterRecord()),
        PersistJob.influxStore(influx, database, 500),
        kafka.sink(KafkaTopics.ALERTS, "envmon-alerts", alertRecord()),
        AlertPoints.influxHistory(influx, database),
        kafka.sink(KafkaTopics.SHARING_RATIOS, "envmon-ratios", ratioRecord()),
        SharingRatioJob.influxHistory(influx, database),
        RegistryCatchUp.fromKafka(
            settings.kafkaBootstrap(),
            KafkaTopics.POINTS,
            settings.registryCatchUpTimeout(),
            restoring
                ? Optional.of(KafkaEndpoints.pointsGroup(settings.consumerGroup()))
                : Optional.empty()),
        kafka.reviewMarks(KafkaTopics.REVIEW_MARKS));
  }

  static KafkaEndpoints.KeyedBytes<DeadLetter> deadLetterRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(DeadLetter letter) {
        return null;
      }

      @Override
      public byte[] value(DeadLetter letter) {
        return letter.toJson();
      }
    };
  }

  static KafkaEndpoints.KeyedBytes<Alert> alertRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(Alert alert) {
        return alert.alertId().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public byte[] value(Alert alert) {
        return AlertJson.encode(alert);
      }
    };
  }

  static KafkaEndpoints.KeyedBytes<SharingRatioRecord> ratioRecord() {
    return new KafkaEndpoints.KeyedBytes<>() {
      @Override
      public byte[] key(SharingRatioRecord record) {
        return record.ratios().cityId().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public byte[] value(SharingRatioRecord record) {
        return record.toJson();
      }
    };
  }
}
