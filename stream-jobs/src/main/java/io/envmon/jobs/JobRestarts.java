package io.envmon.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobExecutionStatusEvent;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.core.execution.JobStatusChangedListenerFactory;

/**
 * Counts each job's restarts from the job manager's own status changes, every one of them: a job
 * whose task fails while it starts leaves RESTARTING for milliseconds only, so polling its status
 * merges restarts. The job manager calls the listener in its JVM, so the count is read here only
 * when the job runs in this JVM's MiniCluster ({@link #install}).
 */
public final class JobRestarts implements JobStatusChangedListenerFactory {

  private static final Map<JobID, AtomicInteger> RESTARTS = new ConcurrentHashMap<>();

  /** Makes a MiniCluster built from {@code config} report its jobs' status changes here. */
  static void install(Configuration config) {
    List<String> listeners =
        new ArrayList<>(config.get(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS, List.of()));
    if (!listeners.contains(JobRestarts.class.getName())) {
      listeners.add(JobRestarts.class.getName());
    }
    config.set(DeploymentOptions.JOB_STATUS_CHANGED_LISTENERS, listeners);
  }

  /** How often the job went into RESTARTING, once the job manager has reported it; else empty. */
  static OptionalInt of(JobID job) {
    AtomicInteger count = RESTARTS.get(job);
    return count == null ? OptionalInt.empty() : OptionalInt.of(count.get());
  }

  @Override
  public JobStatusChangedListener createListener(Context context) {
    return event -> {
      if (event instanceof JobExecutionStatusEvent status) {
        record(status.jobId(), status.newStatus());
      }
    };
  }

  static void record(JobID job, JobStatus status) {
    if (status.isGloballyTerminalState()) {
      RESTARTS.remove(job);
      return;
    }
    AtomicInteger count = RESTARTS.computeIfAbsent(job, id -> new AtomicInteger());
    if (status == JobStatus.RESTARTING) {
      count.incrementAndGet();
    }
  }
}
