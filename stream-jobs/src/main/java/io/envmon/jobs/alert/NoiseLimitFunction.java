package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.noise.NoiseAssessment;
import io.envmon.domain.noise.NoiseAssessor;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * NOISE_LIMIT per noise point (keyed by point id): Leq against the point's zone limit for the day
 * or night period in the city's local time and night window (GB 3096-2008; from the registry, see
 * {@link io.envmon.domain.point.CityTime}; 22:00-06:00 until known). Up to 5 dB over is WARNING,
 * more is MAJOR.
 */
public final class NoiseLimitFunction extends RegistryJudgedFunction {

  private static final double MAJOR_EXCEEDANCE_DB = 5.0;

  private final AlertSettings settings;
  private transient ValueState<Episode> episode;

  public NoiseLimitFunction(AlertSettings settings) {
    super("noise-waiting-for-registry");
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    super.open(openContext);
    episode =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("noise-episode", TypeInformation.of(Episode.class)));
  }

  @Override
  void judge(AcceptedReading accepted, MonitoringPoint point, CityTime city, Collector<Alert> out)
      throws Exception {
    if (point == null || point.kind() != PointKind.NOISE || point.noiseZone() == null) {
      return;
    }
    Optional<Measurement> leq =
        accepted.reading().measurement(Parameter.LEQ).filter(Measurement::isValidData);
    if (leq.isEmpty() || leq.get().value() < 0 || leq.get().value() > 200) {
      return;
    }
    NoiseAssessment assessment =
        NoiseAssessor.assess(
            point.noiseZone(),
            leq.get().value(),
            accepted.credibleObservedAt(),
            city.zone(),
            city.night());
    Observation observation =
        new Observation(
            !assessment.compliant(),
            assessment.exceedanceDbA() > MAJOR_EXCEEDANCE_DB
                ? AlertSeverity.MAJOR
                : AlertSeverity.WARNING,
            Map.of("leq", assessment.leqDbA()),
            (double) assessment.limitDbA(),
            "Leq "
                + assessment.leqDbA()
                + " dB(A) against the "
                + assessment.period().name().toLowerCase(java.util.Locale.ROOT)
                + " limit "
                + assessment.limitDbA()
                + " dB(A) of zone "
                + point.noiseZone().code(),
            "等效声级 "
                + assessment.leqDbA()
                + " dB(A)，"
                + point.noiseZone().code()
                + " 类声环境功能区"
                + (assessment.period() == io.envmon.domain.noise.NoisePeriod.DAY ? "昼间" : "夜间")
                + "限值 "
                + assessment.limitDbA()
                + " dB(A)"
                + (assessment.compliant()
                    ? "，达标"
                    : "，超标 " + Math.round(assessment.exceedanceDbA() * 10) / 10.0 + " dB(A)"),
            accepted.credibleObservedAt());
    Hysteresis.Step step =
        new Hysteresis(settings.raiseAfter(), settings.clearAfter())
            .observe(
                episode.value(),
                observation,
                AlertType.NOISE_LIMIT,
                point.id(),
                point.cityId(),
                PointKind.NOISE);
    episode.update(step.next());
    step.emitted().ifPresent(out::collect);
  }
}
