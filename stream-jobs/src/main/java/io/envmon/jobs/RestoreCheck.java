package io.envmon.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Watches a job that Flink started from a checkpoint until it has completed a checkpoint of its own
 * — then every task has restored its state. A checkpoint Flink refuses (unreadable, or state of an
 * operator the program no longer has) fails the job at once; state a task cannot read (written by
 * an incompatible older version) fails the task, and Flink would restart it from the same
 * checkpoint for ever. Either way the job is cancelled and {@link #await} throws, naming the
 * checkpoint and how to start fresh, instead of leaving the job in that loop.
 */
final class RestoreCheck {

  /** Restarts before the first own checkpoint that are tolerated (a server answering late). */
  static final int RESTARTS_TOLERATED = 2;

  private static final Duration POLL = Duration.ofMillis(100);

  private RestoreCheck() {}

  /**
   * Returns the job's first completed checkpoint, or cancels the job and throws {@link
   * IllegalStateException} when it ended or restarted more than {@code restartsTolerated} times
   * before one.
   */
  static RestorePoint.Checkpoint await(
      JobClient job, String checkpointDir, RestorePoint restore, int restartsTolerated)
      throws Exception {
    Path jobDirectory = new Path(checkpointDir, job.getJobID().toString());
    FileSystem fs = jobDirectory.getFileSystem();
    // Two counts that never exceed the true one: the job manager's own (exact, when the job runs
    // in this JVM: JobRestarts) and the entries into RESTARTING seen by polling (which merges
    // restarts whose task fails at once, as a task that cannot read its state does).
    int seen = 0;
    JobStatus previous = null;
    while (true) {
      List<RestorePoint.Checkpoint> done = RestorePoint.completeCheckpoints(fs, jobDirectory);
      if (!done.isEmpty()) {
        return done.get(0);
      }
      JobStatus status = status(job);
      if (status == null || status.isGloballyTerminalState()) {
        throw new IllegalStateException(
            message(
                restore,
                checkpointDir,
                "the job ended" + (status == null ? "" : " " + status) + ": " + cause(job)));
      }
      if (status == JobStatus.RESTARTING && previous != JobStatus.RESTARTING) {
        seen++;
      }
      int restarts = Math.max(seen, JobRestarts.of(job.getJobID()).orElse(0));
      if (restarts > restartsTolerated) {
        job.cancel().get();
        throw new IllegalStateException(
            message(
                restore,
                checkpointDir,
                "the job failed and restarted "
                    + restarts
                    + " times before completing a checkpoint of its own (the cause is in the"
                    + " WARN lines of org.apache.flink.runtime.taskmanager.Task before this one;"
                    + " typically state written by an incompatible older version)"));
      }
      previous = status;
      Thread.sleep(POLL.toMillis());
    }
  }

  static String message(RestorePoint restore, String checkpointDir, String what) {
    return "cannot restore the stream jobs from "
        + restore.path()
        + (restore.automatic()
            ? " (the newest complete checkpoint under " + checkpointDir + ")"
            : " (envmon.restore-from)")
        + ": "
        + what
        + ". The job is stopped. To start fresh, set envmon.restore-from=none"
        + " (ENVMON_RESTORE_FROM=none; alerts active in that state are then never cleared and"
        + " conditions still present are raised again under new ids); to restore another"
        + " checkpoint, set envmon.restore-from to its chk-<n> directory. If Kafka or InfluxDB"
        + " was unreachable, start again once they answer.";
  }

  /** The messages of a failure and its causes, outermost first, each once. */
  static String causes(Throwable failure) {
    StringBuilder text = new StringBuilder();
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
      if (text.indexOf(message) < 0) {
        text.append(text.length() == 0 ? "" : " <- ").append(message);
      }
    }
    return text.toString();
  }

  /** The job's status; null when it can no longer be asked (a local job's cluster is gone). */
  private static JobStatus status(JobClient job) throws InterruptedException {
    try {
      return job.getJobStatus().get();
    } catch (ExecutionException | RuntimeException gone) {
      return null;
    }
  }

  /** What made the job end, from its execution result. */
  private static String cause(JobClient job) {
    try {
      job.getJobExecutionResult().get();
      return "no failure reported";
    } catch (ExecutionException failed) {
      return causes(failed.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
