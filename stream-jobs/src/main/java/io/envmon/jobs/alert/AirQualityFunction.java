package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.time.LocalTimes;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * AIR_QUALITY per air point: the 1h means of each clock hour of observation give an hourly AQI
 * ({@link AqiCalculator#hourly}) by the standard in force at the hour's start ({@link
 * AlertSettings#aqiStandards()}), which the alert's texts name; above {@code aqiRaiseAbove} the
 * alert is raised (MAJOR), above {@code aqiEscalateAbove} it escalates (CRITICAL), with hysteresis
 * counted in hours. An hour is rated once the platform clock is {@code settle} past its end, or,
 * for a back-fill, once the point's own readings move past it. A reading for an hour already rated
 * (up to the lateness horizon) rates it again: a late exceedance is raised (delayed) and cleared
 * when the point's newest rated hour is good; a late good hour retracts nothing
 * (docs/stream-jobs.md "Time").
 */
public final class AirQualityFunction
    extends KeyedBroadcastProcessFunction<String, AcceptedReading, PointUpdate, Alert> {

  private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

  private final AlertSettings settings;
  private transient MapState<Long, HourlyMeans> hours;
  private transient ValueState<Episode> episode;
  private transient ValueState<Long> newestRated;
  private transient ValueState<Long> backfillTimer;

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
    newestRated =
        getRuntimeContext().getState(new ValueStateDescriptor<>("newest-rated-hour", Types.LONG));
    backfillTimer =
        getRuntimeContext().getState(new ValueStateDescriptor<>("backfill-timer", Types.LONG));
  }

  @Override
  public void processElement(
      AcceptedReading accepted, ReadOnlyContext context, Collector<Alert> out) throws Exception {
    if (accepted.kind() != PointKind.AIR) {
      return;
    }
    long observed = accepted.credibleObservedAt().toEpochMilli();
    long hourEnd = observed - Math.floorMod(observed, HOUR_MILLIS) + HOUR_MILLIS;
    TimerService timers = context.timerService();
    long watermark = timers.currentWatermark();
    if (watermark != Long.MIN_VALUE && hourEnd + settings.latenessHorizonMillis() <= watermark) {
      return; // beyond the lateness horizon: persisted, not judged
    }
    Map<Parameter, Double> values = new EnumMap<>(Parameter.class);
    for (Measurement m : accepted.reading().measurements()) {
      // Only the six AQI pollutants: an air station's meteorological factors (air_temp, rh, …)
      // are stored and shown, never rated (an hour of weather alone has no AQI).
      if (m.isValidData()
          && m.value() >= 0
          && AqiStandard.HOURLY_POLLUTANTS.contains(m.parameter())) {
        values.put(m.parameter(), m.value());
      }
    }
    if (values.isEmpty()) {
      return;
    }
    HourlyMeans means = hours.get(hourEnd);
    if (means == null) {
      means = HourlyMeans.empty(accepted.cityId());
      timers.registerEventTimeTimer(hourEnd + settings.latenessHorizonMillis());
    } else if (means.counts(observed)) {
      return; // delivered twice
    }
    hours.put(hourEnd, means.add(observed, values));
    var cities = context.getBroadcastState(RegistryState.CITIES);
    if (means.ratedAqi() != null) {
      rate(hourEnd, context.getCurrentKey(), cities, out);
      return;
    }
    rateHoursEndingBy(observed, context.getCurrentKey(), cities, out);
    if (hourEnd + settings.settleMillis() > watermark) {
      timers.registerEventTimeTimer(hourEnd + settings.settleMillis());
    } else {
      Long pending = backfillTimer.value();
      if (pending != null) {
        timers.deleteEventTimeTimer(pending);
      }
      long at = watermark + settings.settleMillis();
      backfillTimer.update(at);
      timers.registerEventTimeTimer(at);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Alert> out)
      throws Exception {
    Long pending = backfillTimer.value();
    if (pending != null && pending == timestamp) {
      backfillTimer.clear();
    }
    rateHoursEndingBy(
        timestamp - settings.settleMillis(),
        context.getCurrentKey(),
        context.getBroadcastState(RegistryState.CITIES),
        out);
    List<Long> forgotten = new ArrayList<>();
    for (Long hourEnd : hours.keys()) {
      if (hourEnd + settings.latenessHorizonMillis() <= timestamp) {
        forgotten.add(hourEnd);
      }
    }
    for (Long hourEnd : forgotten) {
      hours.remove(hourEnd);
    }
    if (hours.isEmpty()) {
      newestRated.clear();
      Episode current = episode.value();
      if (current != null && current.active() == null) {
        episode.clear();
      }
    }
  }

  /** Rates, oldest first, every hour not rated yet that ended at or before {@code by}. */
  private void rateHoursEndingBy(
      long by,
      String pointId,
      ReadOnlyBroadcastState<String, CityTime> cities,
      Collector<Alert> out)
      throws Exception {
    List<Long> due = new ArrayList<>();
    for (Map.Entry<Long, HourlyMeans> hour : hours.entries()) {
      if (hour.getKey() <= by && hour.getValue().ratedAqi() == null) {
        due.add(hour.getKey());
      }
    }
    due.sort(null);
    for (Long hourEnd : due) {
      rate(hourEnd, pointId, cities, out);
    }
  }

  private void rate(
      long hourEnd,
      String pointId,
      ReadOnlyBroadcastState<String, CityTime> cities,
      Collector<Alert> out)
      throws Exception {
    HourlyMeans means = hours.get(hourEnd);
    ZoneId zone = RegistryState.cityTime(cities, means.cityId()).zone();
    AqiStandard standard = settings.aqiStandards().at(Instant.ofEpochMilli(hourEnd - HOUR_MILLIS));
    AqiResult aqi = AqiCalculator.hourly(standard, means.means());
    int value = aqi.iaqi().isEmpty() ? -1 : aqi.aqi();
    Integer previous = means.ratedAqi();
    hours.put(hourEnd, means.rated(value));
    if (value < 0 || (previous != null && previous == value)) {
      return;
    }
    Observation observation = observation(hourEnd, aqi, means, zone);
    Long newest = newestRated.value();
    Hysteresis hysteresis = new Hysteresis(settings.raiseAfter(), settings.clearAfter());
    if (previous == null && (newest == null || hourEnd > newest)) {
      newestRated.update(hourEnd);
      emit(
          hysteresis.observe(
              episode.value(),
              observation,
              AlertType.AIR_QUALITY,
              pointId,
              means.cityId(),
              PointKind.AIR),
          out);
      return;
    }
    // A late finding: the hour was rated before, or after a later one.
    Episode current = episode.value();
    if (!observation.breaching()) {
      return;
    }
    if (current != null && current.active() != null) {
      emit(
          hysteresis.observe(
              current, observation, AlertType.AIR_QUALITY, pointId, means.cityId(), PointKind.AIR),
          out);
      return;
    }
    Alert raised =
        new Hysteresis(1, settings.clearAfter())
            .observe(
                null, observation, AlertType.AIR_QUALITY, pointId, means.cityId(), PointKind.AIR)
            .emitted()
            .orElseThrow();
    out.collect(raised);
    HourlyMeans newestHour = newest == null ? null : hours.get(newest);
    Integer newestAqi = newestHour == null ? null : newestHour.ratedAqi();
    if (newestAqi != null && newestAqi >= 0 && newestAqi <= settings.aqiRaiseAbove()) {
      String until = LocalTimes.format(Instant.ofEpochMilli(newest), zone);
      out.collect(
          raised.next(
              AlertState.CLEARED,
              raised.severity(),
              Map.of("aqi", (double) newestAqi),
              "found late; the newest hour (ending " + until + ") has AQI " + newestAqi,
              "迟到数据中发现的超标；最新一小时（截至 " + until + "）AQI 为 " + newestAqi,
              Instant.ofEpochMilli(newest)));
    } else {
      episode.update(new Episode(raised, 1, 0));
    }
  }

  private void emit(Hysteresis.Step step, Collector<Alert> out) throws Exception {
    episode.update(step.next());
    step.emitted().ifPresent(out::collect);
  }

  private Observation observation(long hourEnd, AqiResult aqi, HourlyMeans means, ZoneId zone) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("aqi", (double) aqi.aqi());
    means.means().forEach((p, v) -> values.put(p.canonicalName(), v));
    boolean breaching = aqi.aqi() > settings.aqiRaiseAbove();
    AlertSeverity severity =
        aqi.aqi() > settings.aqiEscalateAbove() ? AlertSeverity.CRITICAL : AlertSeverity.MAJOR;
    String hour = LocalTimes.format(Instant.ofEpochMilli(hourEnd), zone);
    String message =
        "hourly AQI "
            + aqi.aqi()
            + " ("
            + aqi.standard().code()
            + "; "
            + aqi.category().enName()
            + ", "
            + aqi.category().zhName()
            + ") for the hour ending "
            + hour;
    String messageZh =
        "截至 "
            + hour
            + " 的小时空气质量指数（AQI，"
            + aqi.standard().code()
            + "）为 "
            + aqi.aqi()
            + "（"
            + aqi.category().zhName()
            + "），报警阈值 "
            + settings.aqiRaiseAbove();
    return new Observation(
        breaching,
        severity,
        values,
        (double) settings.aqiRaiseAbove(),
        message,
        messageZh,
        Instant.ofEpochMilli(hourEnd));
  }

  @Override
  public void processBroadcastElement(PointUpdate update, Context context, Collector<Alert> out)
      throws Exception {
    RegistryState.apply(
        update,
        context.getBroadcastState(RegistryState.POINTS),
        context.getBroadcastState(RegistryState.CITIES));
  }
}
