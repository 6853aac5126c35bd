package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.water.SectionAssessment;
import io.envmon.domain.water.WaterClass;
import io.envmon.domain.water.WaterQualityClassifier;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * WATER_CLASS per section (keyed by point id): each reading's section class (GB 3838-2002
 * single-factor method) against the section's target class from the registry. Worse than target is
 * MAJOR, 劣V is CRITICAL.
 */
public final class WaterClassFunction extends RegistryJudgedFunction {

  private final AlertSettings settings;
  private transient ValueState<Episode> episode;

  public WaterClassFunction(AlertSettings settings) {
    super("water-waiting-for-registry");
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    episode =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("water-episode", TypeInformation.of(Episode.class)));
  }

  @Override
  void judge(AcceptedReading accepted, MonitoringPoint point, CityTime city, Collector<Alert> out)
      throws Exception {
    if (point == null || point.kind() != PointKind.WATER || point.water() == null) {
      return;
    }
    Map<Parameter, Double> values = new EnumMap<>(Parameter.class);
    for (Measurement m : accepted.reading().measurements()) {
      if (m.isValidData()
          && m.value() >= 0
          && WaterQualityClassifier.classify(m.parameter(), m.value(), point.water().waterBody())
              .isPresent()) {
        values.put(m.parameter(), m.value());
      }
    }
    if (values.isEmpty()) {
      return;
    }
    SectionAssessment assessment = WaterQualityClassifier.assess(values, point.water().waterBody());
    WaterClass target = point.water().targetClass();
    WaterClass actual = assessment.sectionClass();
    Map<String, Double> shown = new LinkedHashMap<>();
    values.forEach((p, v) -> shown.put(p.canonicalName(), v));
    Observation observation =
        new Observation(
            actual.isWorseThan(target),
            actual == WaterClass.WORSE_THAN_V ? AlertSeverity.CRITICAL : AlertSeverity.MAJOR,
            shown,
            null,
            "section class "
                + actual.label()
                + " against target "
                + target.label()
                + (assessment.itemsWorseThan(target).isEmpty()
                    ? ""
                    : ", exceeding: " + assessment.itemsWorseThan(target)),
            "断面水质类别 "
                + actual.zhLabel()
                + "，目标 "
                + target.zhLabel()
                + (assessment.itemsWorseThan(target).isEmpty()
                    ? ""
                    : "，超标项目：" + assessment.itemsWorseThan(target)),
            accepted.credibleObservedAt());
    Hysteresis.Step step =
        new Hysteresis(settings.raiseAfter(), settings.clearAfter())
            .observe(
                episode.value(),
                observation,
                AlertType.WATER_CLASS,
                point.id(),
                point.cityId(),
                PointKind.WATER);
    episode.update(step.next());
    step.emitted().ifPresent(out::collect);
  }
}
