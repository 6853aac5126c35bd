package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.reading.AcceptedReading;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * DEVICE_OFFLINE per point (keyed by point id): an event-time timer at last valid reading +
 * freshness window of the point's kind; when it fires, the point has delivered no valid data for
 * the window and the alert is raised. The next valid reading clears it.
 */
public final class OfflineDetector extends KeyedProcessFunction<String, AcceptedReading, Alert> {

  private final AlertSettings settings;
  private transient ValueState<AcceptedReading> lastValid;
  private transient ValueState<Long> deadline;
  private transient ValueState<Alert> active;

  public OfflineDetector(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    lastValid =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "last-valid", TypeInformation.of(AcceptedReading.class)));
    deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
    active =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("offline-alert", TypeInformation.of(Alert.class)));
  }

  @Override
  public void processElement(AcceptedReading accepted, Context context, Collector<Alert> out)
      throws Exception {
    if (!accepted.reading().hasValidData()) {
      return;
    }
    AcceptedReading previous = lastValid.value();
    Instant observedAt = accepted.reading().observedAt();
    if (previous != null && !observedAt.isAfter(previous.reading().observedAt())) {
      return;
    }
    lastValid.update(accepted);
    Long oldDeadline = deadline.value();
    if (oldDeadline != null) {
      context.timerService().deleteEventTimeTimer(oldDeadline);
    }
    long newDeadline = observedAt.plus(settings.freshness(accepted.kind())).toEpochMilli();
    deadline.update(newDeadline);
    context.timerService().registerEventTimeTimer(newDeadline);
    Alert offline = active.value();
    if (offline != null) {
      active.clear();
      out.collect(
          offline.next(
              AlertState.CLEARED,
              offline.severity(),
              Map.of(),
              "valid data again at " + observedAt,
              observedAt));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
      throws Exception {
    Long due = deadline.value();
    AcceptedReading last = lastValid.value();
    if (due == null || due != timestamp || last == null || active.value() != null) {
      return;
    }
    Duration window = settings.freshness(last.kind());
    Instant at = Instant.ofEpochMilli(timestamp);
    Alert offline =
        new Alert(
            Alert.idFor(AlertType.DEVICE_OFFLINE, last.reading().pointId(), last.cityId(), at),
            AlertType.DEVICE_OFFLINE,
            AlertState.RAISED,
            AlertSeverity.WARNING,
            last.reading().pointId(),
            last.cityId(),
            last.kind(),
            Map.of(),
            (double) window.toMinutes(),
            "no valid data for " + window.toMinutes() + " min since " + last.reading().observedAt(),
            null,
            at,
            at,
            null,
            null,
            null);
    active.update(offline);
    out.collect(offline);
  }
}
