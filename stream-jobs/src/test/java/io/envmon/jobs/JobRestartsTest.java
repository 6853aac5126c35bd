package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.junit.jupiter.api.Test;

class JobRestartsTest {

  @Test
  void everyEntryIntoRestartingCountsAndAnEndedJobIsForgotten() {
    JobID job = new JobID();
    assertThat(JobRestarts.of(job)).isEmpty(); // not reported by the job manager (yet)
    for (JobStatus status :
        List.of(
            JobStatus.CREATED,
            JobStatus.RUNNING,
            JobStatus.RESTARTING,
            JobStatus.RUNNING,
            JobStatus.RESTARTING,
            JobStatus.RESTARTING)) {
      JobRestarts.record(job, status);
    }
    assertThat(JobRestarts.of(job)).hasValue(3);
    JobRestarts.record(job, JobStatus.CANCELED);
    assertThat(JobRestarts.of(job)).isEmpty();
  }

  @Test
  void installingAddsTheListenerOnceBesideOthers() {
    Configuration config = new Configuration();
    config.set(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS, List.of("com.example.Lineage"));
    JobRestarts.install(config);
    JobRestarts.install(config);
    assertThat(config.get(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS))
        .containsExactly("com.example.Lineage", JobRestarts.class.getName());
  }
}
