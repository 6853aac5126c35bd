package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A per-point alert rule that judges each reading against its point in the broadcast registry. A
 * reading that arrives before the registry has been read to its end at start ({@link
 * WaitingForRegistry}) is kept and judged, in order, at the first watermark.
 */
abstract class RegistryJudgedFunction
    extends KeyedBroadcastProcessFunction<String, AcceptedReading, PointUpdate, Alert> {

  private final WaitingForRegistry waiting;

  RegistryJudgedFunction(String waitingStateName) {
    this.waiting = new WaitingForRegistry(waitingStateName);
  }

  /**
   * Judges one reading; {@code point} is null when the registry does not know it; {@code city} is
   * its city's time zone and night window ({@link CityTime#DEFAULT} until the registry names them).
   */
  abstract void judge(
      AcceptedReading accepted, MonitoringPoint point, CityTime city, Collector<Alert> out)
      throws Exception;

  @Override
  public void open(OpenContext openContext) throws Exception {
    waiting.open(getRuntimeContext());
  }

  @Override
  public final void processElement(
      AcceptedReading accepted, ReadOnlyContext context, Collector<Alert> out) throws Exception {
    var registry = context.getBroadcastState(RegistryState.POINTS);
    var cities = context.getBroadcastState(RegistryState.CITIES);
    MonitoringPoint point = registry.get(accepted.reading().pointId());
    if (waiting.keep(accepted, point, context.currentWatermark(), context.timerService())) {
      return;
    }
    for (AcceptedReading earlier : waiting.release()) {
      judge(earlier, registry.get(earlier.reading().pointId()), cities, out);
    }
    judge(accepted, point, cities, out);
  }

  @Override
  public final void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
      throws Exception {
    if (timestamp == WaitingForRegistry.AT_FIRST_WATERMARK) {
      var registry = context.getBroadcastState(RegistryState.POINTS);
      var cities = context.getBroadcastState(RegistryState.CITIES);
      for (AcceptedReading earlier : waiting.release()) {
        judge(earlier, registry.get(earlier.reading().pointId()), cities, out);
      }
    }
  }

  private void judge(
      AcceptedReading accepted,
      MonitoringPoint point,
      ReadOnlyBroadcastState<String, CityTime> cities,
      Collector<Alert> out)
      throws Exception {
    judge(accepted, point, RegistryState.cityTime(cities, accepted.cityId()), out);
  }

  @Override
  public final void processBroadcastElement(
      PointUpdate update, Context context, Collector<Alert> out) throws Exception {
    RegistryState.apply(
        update,
        context.getBroadcastState(RegistryState.POINTS),
        context.getBroadcastState(RegistryState.CITIES));
  }
}
