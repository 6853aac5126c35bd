package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * DATA_QUALITY per point (keyed by point id): a parameter reporting exactly the same valid value
 * {@code stuckRepeats} times in a row is a stuck sensor; a valid (flag N) value that cannot be
 * physically true is an impossible value (envmon rule, {@link #isImpossible}); a change from the
 * previous valid value larger than nature allows between two readings is an implausible jump
 * (envmon rule, {@link #maximumPlausibleJump}). The alert clears when every parameter moves again,
 * is possible and changes plausibly (with the configured clear hysteresis).
 */
public final class DataQualityDetector
    extends KeyedProcessFunction<String, AcceptedReading, Alert> {

  private final AlertSettings settings;
  private transient MapState<String, Double> lastValue;
  private transient MapState<String, Integer> repeats;
  private transient ValueState<Episode> episode;
  private transient ValueState<Long> lastObserved;

  public DataQualityDetector(AlertSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    lastValue =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("last-value", Types.STRING, Types.DOUBLE));
    repeats =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("repeats", Types.STRING, Types.INT));
    episode =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("stuck-episode", TypeInformation.of(Episode.class)));
    lastObserved =
        getRuntimeContext().getState(new ValueStateDescriptor<>("dq-last-observed", Types.LONG));
  }

  @Override
  public void processElement(AcceptedReading accepted, Context context, Collector<Alert> out)
      throws Exception {
    long observed = accepted.credibleObservedAt().toEpochMilli();
    Long previousObservation = lastObserved.value();
    if (previousObservation != null && previousObservation == observed) {
      return; // the same reading delivered again (at-least-once): not a repeat of the sensor
    }
    lastObserved.update(observed);
    Map<String, Double> stuck = new LinkedHashMap<>();
    Map<String, Double> impossible = new LinkedHashMap<>();
    Map<String, Double> jumped = new LinkedHashMap<>();
    boolean anyValid = false;
    for (Measurement m : accepted.reading().measurements()) {
      if (!m.isValidData()) {
        continue;
      }
      anyValid = true;
      String name = m.parameter().canonicalName();
      Double previous = lastValue.get(name);
      int count = previous != null && previous == m.value() ? repeats.get(name) + 1 : 1;
      lastValue.put(name, m.value());
      repeats.put(name, count);
      // Meteorological factors legitimately repeat (pressure to 0.1 kPa, RH at saturation in
      // fog, calm wind): not judged stuck.
      if (count >= settings.stuckRepeats() && !m.parameter().isMeteorological()) {
        stuck.put(name, m.value());
      }
      if (isImpossible(m.parameter(), m.value())) {
        impossible.put(name, m.value());
      } else if (previous != null
          && Math.abs(m.value() - previous) > maximumPlausibleJump(m.parameter())) {
        jumped.put(name, m.value());
      }
    }
    if (!anyValid) {
      return;
    }
    Map<String, Double> shown = new LinkedHashMap<>(stuck);
    shown.putAll(impossible);
    shown.putAll(jumped);
    List<String> problems = new ArrayList<>();
    List<String> problemsZh = new ArrayList<>();
    if (!stuck.isEmpty()) {
      problemsZh.add("数据恒值：" + stuck.keySet() + " 连续 " + settings.stuckRepeats() + " 次以上数值完全相同");
    }
    if (!impossible.isEmpty()) {
      problemsZh.add("数据超出物理可能范围：" + impossible);
    }
    if (!jumped.isEmpty()) {
      problemsZh.add("数据较上次突变不合理：" + jumped);
    }
    if (!stuck.isEmpty()) {
      problems.add(
          "stuck sensor: "
              + stuck.keySet()
              + " reported the same value "
              + settings.stuckRepeats()
              + " times or more in a row");
    }
    if (!impossible.isEmpty()) {
      problems.add("physically impossible values: " + impossible);
    }
    if (!jumped.isEmpty()) {
      problems.add("implausible jumps from the previous reading: " + jumped);
    }
    Observation observation =
        new Observation(
            !problems.isEmpty(),
            AlertSeverity.WARNING,
            shown,
            (double) settings.stuckRepeats(),
            problems.isEmpty()
                ? "values vary again and are plausible"
                : String.join("; ", problems),
            problems.isEmpty() ? "数据恢复正常：数值有变化且合理" : String.join("；", problemsZh),
            accepted.credibleObservedAt());
    Hysteresis.Step step =
        new Hysteresis(1, settings.clearAfter())
            .observe(
                episode.value(),
                observation,
                AlertType.DATA_QUALITY,
                accepted.reading().pointId(),
                accepted.cityId(),
                accepted.kind());
    episode.update(step.next());
    step.emitted().ifPresent(out::collect);
  }

  /**
   * envmon rule: the largest change between two consecutive valid readings of a parameter that the
   * environment can produce; wider limits for the quantities a real spill or episode moves fast
   * (NH3-N, TP, particulate matter) so that a genuine pollution event is an alert of its own type,
   * not a data-quality one.
   */
  static double maximumPlausibleJump(Parameter parameter) {
    return switch (parameter) {
      case PM25, PM10 -> 600; // µg/m³: dust storms and fireworks move PM by hundreds within minutes
      case SO2, NO2, O3 -> 500; // µg/m³
      case CO -> 20; // mg/m³
      case PH -> 3;
      case DO -> 8; // mg/L
      case CODMN, BOD5 -> 30; // mg/L
      case COD -> 100; // mg/L
      case NH3N, TN -> 20; // mg/L: an ammonia spill may reach tens of mg/L
      case TP -> 5; // mg/L
      case TEMP -> 8; // °C
      case TURBIDITY -> 1000; // NTU: a storm
      case LEQ, L10, L50, L90 -> 50; // dB(A)
      case LMAX -> 80; // dB(A): a single horn or train
      case AIR_TEMP -> 15; // °C: a cold front
      case RH -> 60; // %: a shower
      case PRESSURE -> 3; // kPa
      case WIND_SPEED -> 40; // m/s: a gust
      case WIND_DIR -> 360; // °: the wind may turn any way (never a jump)
    };
  }

  /**
   * envmon rule: a value no instrument can truly read — a negative concentration, Leq or pH, a pH
   * above 14, a sound level above 200 dB(A). Water temperature may be below zero; the
   * meteorological factors of air stations have the gateway's ranges (air temperature -60–60 °C, RH
   * 0–100 %, pressure 50–110 kPa, wind speed 0–100 m/s, direction 0–360°).
   */
  static boolean isImpossible(Parameter parameter, double value) {
    return switch (parameter) {
      case TEMP -> value < -5 || value > 60;
      case PH -> value < 0 || value > 14;
      case LEQ, LMAX, L10, L50, L90 -> value < 0 || value > 200;
      case AIR_TEMP -> value < -60 || value > 60;
      case RH -> value < 0 || value > 100;
      case PRESSURE -> value < 50 || value > 110;
      case WIND_SPEED -> value < 0 || value > 100;
      case WIND_DIR -> value < 0 || value > 360;
      default -> value < 0;
    };
  }
}
