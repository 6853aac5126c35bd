package io.envmon.jobs.logging;

import org.slf4j.LoggerFactory;

/**
 * Drops the warning {@code Name collision: Group already contains a Metric with the name
 * 'pendingCommittables'} that Flink logs at every checkpoint for each Sink V2 committer (our three
 * Kafka sinks): a Flink bug, FLINK-35321, that nothing of ours can avoid. {@link
 * #dropFromLogback()} drops exactly this message, nothing else the metric system says, when logback
 * is the SLF4J backend; on a Flink cluster the same is a log4j2 {@code RegexFilter} on {@link
 * #MESSAGE_START}. Cause and filter: docs/stream-jobs.md "The log and Flink's pendingCommittables
 * warning". {@code RepeatedCommitterGaugeWarningTest} fails once Flink no longer re-registers the
 * gauge: then delete this class.
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
