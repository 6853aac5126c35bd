package io.envmon.jobs.alert;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.reading.AcceptedReading;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;

/**
 * Keyed state of a function that judges each reading against the registry: readings of a point the
 * registry does not know (yet) while the registry has not been read up to its end at start — the
 * operator's watermark is still {@code Long.MIN_VALUE} ({@code RegistryCatchUp}) — are kept, with a
 * timer at the first watermark, and judged in their order when it fires (or before the point's next
 * reading). Checkpointed like any keyed state.
 */
final class WaitingForRegistry implements Serializable {

  /** Fires at the first watermark, which comes only after the registry has caught up. */
  static final long AT_FIRST_WATERMARK = Long.MIN_VALUE + 1;

  private final String name;
  private transient ListState<AcceptedReading> waiting;

  WaitingForRegistry(String name) {
    this.name = name;
  }

  void open(RuntimeContext context) {
    waiting =
        context.getListState(
            new ListStateDescriptor<>(name, TypeInformation.of(AcceptedReading.class)));
  }

  /** Whether {@code reading} was kept for later: its point is unknown before the registry is. */
  boolean keep(AcceptedReading reading, MonitoringPoint point, long watermark, TimerService timers)
      throws Exception {
    if (point != null || watermark != Long.MIN_VALUE) {
      return false;
    }
    waiting.add(reading);
    timers.registerEventTimeTimer(AT_FIRST_WATERMARK);
    return true;
  }

  /** The kept readings in arrival order; none are kept afterwards. */
  List<AcceptedReading> release() throws Exception {
    List<AcceptedReading> kept = new ArrayList<>();
    Iterable<AcceptedReading> stored = waiting.get();
    if (stored != null) {
      stored.forEach(kept::add);
    }
    if (!kept.isEmpty()) {
      waiting.clear();
    }
    return kept;
  }
}
