package io.envmon.jobs.logging;

import org.slf4j.LoggerFactory;

/**
 * The warning Flink logs at every checkpoint for every Sink V2 committer (for us the three Kafka
 * sinks: dead letters, alerts, sharing ratios): {@code Name collision: Group already contains a
 * Metric with the name 'pendingCommittables'}.
 *
 * <p>Cause, in Flink itself (FLINK-35321): {@code CommitterOperator.snapshotState} stores a copy of
 * its {@code CommittableCollector}, and the collector's constructor registers the {@code
 * pendingCommittables} gauge on the operator's metric group again. The group keeps the gauge the
 * operator registered at start (the live collector's, which reports the right number) and warns
 * about the copy's. Nothing of ours registers that gauge, and no operator name or uid of ours can
 * avoid it: every Flink on Maven Central has it (2.2.0, 2.2.1, 2.3.0); the fix is on Flink's master
 * (apache/flink#27598). {@code RepeatedCommitterGaugeWarningTest} fails once the Flink on the
 * classpath no longer re-registers the gauge: then delete this class.
 *
 * <p>Until then {@link #dropFromLogback()} drops exactly this message, and nothing else the metric
 * system says (another name collision is still logged), when logback is the SLF4J backend (the
 * local MiniCluster of {@code ./envmon up}). On a Flink cluster, whose log4j2 configuration is the
 * cluster's, the same is done with a {@code RegexFilter} on {@link #MESSAGE_START}
 * (docs/stream-jobs.md).
 */
public final class RepeatedCommitterGaugeWarning {

  /** The logger of Flink's {@code AbstractMetricGroup}. */
  public static final String LOGGER = "org.apache.flink.metrics.MetricGroup";

  /** How the message begins; the rest names the operator's metric scope. */
  public static final String MESSAGE_START =
      "Name collision: Group already contains a Metric with the name 'pendingCommittables'.";

  private static boolean installed;

  private RepeatedCommitterGaugeWarning() {}

  /** Whether a WARN of {@code loggerName} with this message is the repeated committer warning. */
  public static boolean matches(String loggerName, String message) {
    return LOGGER.equals(loggerName) && message != null && message.startsWith(MESSAGE_START);
  }

  /**
   * Drops the warning from this JVM's log when its SLF4J backend is logback; once per JVM.
   *
   * @return whether the filter is in place
   */
  public static synchronized boolean dropFromLogback() {
    if (installed) {
      return true;
    }
    if (!"ch.qos.logback.classic.LoggerContext"
        .equals(LoggerFactory.getILoggerFactory().getClass().getName())) {
      return false;
    }
    LogbackFilter.install();
    installed = true;
    return true;
  }

  /** Tests: the warning is logged again. */
  static synchronized void stopDropping() {
    if (installed) {
      LogbackFilter.uninstall();
      installed = false;
    }
  }
}
