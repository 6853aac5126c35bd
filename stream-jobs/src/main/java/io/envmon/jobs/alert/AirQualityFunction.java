package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * AIR_QUALITY per air point (keyed by point id): the 1h means of each clock hour give an hourly AQI
 * (HJ 633-2012 via {@link AqiCalculator#hourly}) when event time passes the hour's end; above
 * {@code aqiRaiseAbove} the alert is raised (MAJOR), above {@code aqiEscalateAbove} it escalates
 * (CRITICAL), with hysteresis counted in hours.
 */
public final class AirQualityFunction extends KeyedProcessFunction<String, AcceptedReading, Alert> {

  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

  private final AlertSettings settings;
  private transient MapState<Long, HourlyMeans> hours;
  private transient ValueState<Episode> episode;

  public AirQualityFunction(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    hours =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "hours", Types.LONG, TypeInformation.of(HourlyMeans.class)));
    episode =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("air-episode", TypeInformation.of(Episode.class)));
  }

  @Override
  public void processElement(AcceptedReading accepted, Context context, Collector<Alert> out)
      throws Exception {
    if (accepted.kind() != PointKind.AIR) {
      return;
    }
    long observed = accepted.reading().observedAt().toEpochMilli();
    long hourEnd = observed - Math.floorMod(observed, HOUR_MILLIS) + HOUR_MILLIS;
    if (hourEnd <= context.timerService().currentWatermark()) {
      return; // the hour is already rated; late readings are persisted, not re-rated
    }
    HourlyMeans means = hours.get(hourEnd);
    if (means == null) {
      means = HourlyMeans.empty(accepted.cityId());
    }
    for (Measurement m : accepted.reading().measurements()) {
      if (m.isValidData() && m.value() >= 0) {
        means = means.add(m.parameter(), m.value());
      }
    }
    hours.put(hourEnd, means);
    context.timerService().registerEventTimeTimer(hourEnd);
  }

  @Override
  public void onTimer(long hourEnd, OnTimerContext context, Collector<Alert> out) throws Exception {
    HourlyMeans means = hours.get(hourEnd);
    hours.remove(hourEnd);
    if (means == null) {
      return;
    }
    AqiResult aqi = AqiCalculator.hourly(means.means());
    if (aqi.iaqi().isEmpty()) {
      return;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("aqi", (double) aqi.aqi());
    means.means().forEach((p, v) -> values.put(p.canonicalName(), v));
    boolean breaching = aqi.aqi() > settings.aqiRaiseAbove();
    AlertSeverity severity =
        aqi.aqi() > settings.aqiEscalateAbove() ? AlertSeverity.CRITICAL : AlertSeverity.MAJOR;
    String message =
        "hourly AQI "
            + aqi.aqi()
            + " ("
            + aqi.category().enName()
            + ", "
            + aqi.category().zhName()
            + ") for the hour ending "
            + Instant.ofEpochMilli(hourEnd);
    String messageZh =
        "截至 "
            + Instant.ofEpochMilli(hourEnd)
            + " 的小时空气质量指数（AQI）为 "
            + aqi.aqi()
            + "（"
            + aqi.category().zhName()
            + "），报警阈值 "
            + settings.aqiRaiseAbove();
    Observation observation =
        new Observation(
            breaching,
            severity,
            values,
            (double) settings.aqiRaiseAbove(),
            message,
            messageZh,
            Instant.ofEpochMilli(hourEnd));
    Hysteresis.Step step =
        new Hysteresis(settings.raiseAfter(), settings.clearAfter())
            .observe(
                episode.value(),
                observation,
                AlertType.AIR_QUALITY,
                context.getCurrentKey(),
                means.cityId(),
                PointKind.AIR);
    episode.update(step.next());
    step.emitted().ifPresent(out::collect);
  }
}
