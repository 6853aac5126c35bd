package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RestoreCheck} on a small MiniCluster job (no servers): a restore whose state the tasks
 * cannot read would make Flink restart the job from the same checkpoint for ever; the check stops
 * it after {@link RestoreCheck#RESTARTS_TOLERATED} restarts and says what to do. A restore that
 * works is confirmed by the job's first own checkpoint.
 */
class RestoreCheckIT {

  @Test
  void stateOfAnIncompatibleTypeStopsTheLoopingJobWithWhatToDo(@TempDir Path checkpoints)
      throws Exception {
    Path older = OlderVersionCheckpoint.write(checkpoints, "last-value");
    RestorePoint restore =
        RestorePoint.choose(null, checkpoints.toUri().toString()); // found by itself
    assertThat(restore.path()).endsWith(older.getFileName().toString());

    JobClient job = OlderVersionCheckpoint.start(checkpoints, restore.path(), "last-value", true);
    assertThatThrownBy(
            () ->
                RestoreCheck.await(
                    job, checkpoints.toUri().toString(), restore, RestoreCheck.RESTARTS_TOLERATED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot restore the stream jobs from " + restore.path())
        .hasMessageContaining("restarted 3 times before completing a checkpoint of its own")
        .hasMessageContaining("set envmon.restore-from=none");
    // The job was cancelled (its per-job MiniCluster then shuts down: null).
    assertThat(statusOrGone(job)).isIn(JobStatus.CANCELLING, JobStatus.CANCELED, null);
  }

  private static JobStatus statusOrGone(JobClient job) {
    try {
      return job.getJobStatus().get();
    } catch (Exception gone) {
      return null;
    }
  }

  @Test
  void aRestoreThatWorksIsConfirmedByTheFirstCheckpoint(@TempDir Path checkpoints)
      throws Exception {
    OlderVersionCheckpoint.write(checkpoints, "last-value");
    RestorePoint restore = RestorePoint.choose(null, checkpoints.toUri().toString());

    JobClient job = OlderVersionCheckpoint.start(checkpoints, restore.path(), "last-value", false);
    try {
      RestorePoint.Checkpoint first =
          RestoreCheck.await(job, checkpoints.toUri().toString(), restore, 0);
      assertThat(first.directory().toString()).contains(job.getJobID().toString());
    } finally {
      job.cancel().get();
    }
  }
}
