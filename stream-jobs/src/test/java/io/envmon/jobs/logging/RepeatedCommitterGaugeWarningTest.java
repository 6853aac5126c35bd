package io.envmon.jobs.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedCommitterGaugeWarningTest {

  private final Logger metricLogger =
      (Logger) LoggerFactory.getLogger(RepeatedCommitterGaugeWarning.LOGGER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void listen() {
    appender.start();
    metricLogger.addAppender(appender);
  }

  @AfterEach
  void stopListening() {
    metricLogger.detachAppender(appender);
    RepeatedCommitterGaugeWarning.stopDropping();
  }

  /**
   * What CommitterOperator does at every checkpoint: copy its collector, on the operator's group.
   * When this fails, Flink no longer re-registers the gauge (FLINK-35321 fixed in the Flink on the
   * classpath): delete RepeatedCommitterGaugeWarning and its use in StreamJobsMain.
   */
  @Test
  void flinkStillRegistersTheGaugeAgainForEveryCopyOfTheCommittersCollector() {
    OperatorMetricGroup operator = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();
    CommittableCollector<String> live =
        new CommittableCollector<>(InternalSinkCommitterMetricGroup.wrap(operator));
    assertThat(messages()).isEmpty();

    live.copy();
    live.copy();

    assertThat(messages())
        .hasSize(2)
        .allSatisfy(
            message ->
                assertThat(
                        RepeatedCommitterGaugeWarning.matches(
                            RepeatedCommitterGaugeWarning.LOGGER, message))
                    .as(message)
                    .isTrue());
  }

  @Test
  void theFilterDropsThatWarningAndNoOtherNameCollision() {
    assertThat(RepeatedCommitterGaugeWarning.dropFromLogback()).isTrue();
    assertThat(RepeatedCommitterGaugeWarning.dropFromLogback()).isTrue(); // once per JVM

    OperatorMetricGroup operator = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();
    new CommittableCollector<String>(InternalSinkCommitterMetricGroup.wrap(operator)).copy();
    Gauge<Integer> one = () -> 1;
    operator.gauge("someGauge", one);
    operator.gauge("someGauge", one);

    assertThat(messages())
        .singleElement()
        .asString()
        .startsWith("Name collision: Group already contains a Metric with the name 'someGauge'.");
  }

  @Test
  void onlyThatLoggerAndMessageMatch() {
    String message =
        RepeatedCommitterGaugeWarning.MESSAGE_START
            + " Metric will not be reported.[, taskmanager, tm, envmon stream jobs, alerts:"
            + " Committer, 0]";
    assertThat(RepeatedCommitterGaugeWarning.matches(RepeatedCommitterGaugeWarning.LOGGER, message))
        .isTrue();
    assertThat(RepeatedCommitterGaugeWarning.matches("io.envmon.jobs.StreamJobsMain", message))
        .isFalse();
    assertThat(
            RepeatedCommitterGaugeWarning.matches(
                RepeatedCommitterGaugeWarning.LOGGER,
                "Name collision: Group already contains a Metric with the name 'currentSendTime'."))
        .isFalse();
    assertThat(RepeatedCommitterGaugeWarning.matches(RepeatedCommitterGaugeWarning.LOGGER, null))
        .isFalse();
  }

  private List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
