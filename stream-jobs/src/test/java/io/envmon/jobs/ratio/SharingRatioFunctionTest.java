package io.envmon.jobs.ratio;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Points.update;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.ratio.CityRatios;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.ingest.PointRegistry;
import io.envmon.jobs.ingest.PointUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharingRatioFunctionTest {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  private KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, ClusterRatios>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new SharingRatioFunction(
                RatioSettings.defaults("yangtze-delta", List.of("wujiang", "kunshan"))),
            r -> "yangtze-delta",
            Types.STRING,
            PointRegistry.POINTS);
    harness.processBroadcastElement(update(air("wujiang", "wujiang-air-01")), 0);
    harness.processBroadcastElement(update(air("wujiang", "wujiang-air-02")), 0);
    harness.processBroadcastElement(update(air("kunshan", "kunshan-air-01")), 0);
    // As in production: the registry stream never holds event time back.
    harness.processBroadcastWatermark(Long.MAX_VALUE);
  }

  private void pm25(String city, String point, Instant at) throws Exception {
    harness.processElement(
        reading(city, point, PointKind.AIR, at, Measurement.valid(Parameter.PM25, 30)),
        at.toEpochMilli());
  }

  private ClusterRatios last() {
    List<ClusterRatios> out = harness.extractOutputValues();
    return out.get(out.size() - 1);
  }

  @Test
  void eachMinuteGivesEveryCityAndTheClusterTheirRatios() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    harness.processWatermark(T0.plusSeconds(60).toEpochMilli());

    ClusterRatios ratios = last();
    assertThat(ratios.cities())
        .extracting(CityRatios::cityId)
        .containsExactly("wujiang", "kunshan");
    CityRatios wujiang = ratios.cities().get(0);
    assertThat(wujiang.at()).isEqualTo(T0.plusSeconds(60));
    assertThat(wujiang.air().numerator()).isEqualTo(1);
    assertThat(wujiang.air().denominator()).isEqualTo(2);
    assertThat(wujiang.air().value()).isEqualTo(0.5);
    assertThat(wujiang.water().value()).isNull();
    assertThat(wujiang.score()).isNull();
    assertThat(wujiang.scoreNullReason()).isNotBlank();
    assertThat(ratios.cluster().air().numerator()).isEqualTo(1);
    assertThat(ratios.cluster().air().denominator()).isEqualTo(3);
  }

  @Test
  void aReadingAfterTheMinuteDoesNotCountAtThatMinute() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(70));
    harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
    harness.processWatermark(T0.plusSeconds(120).toEpochMilli());

    List<ClusterRatios> out = harness.extractOutputValues();
    assertThat(out).extracting(r -> r.cities().get(0).at()).containsExactly(T0.plusSeconds(120));
    assertThat(out.get(0).cities().get(0).air().numerator()).isEqualTo(1);
  }

  @Test
  void aPointAddedToTheRegistryChangesTheNextRatio() throws Exception {
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(30));
    harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
    assertThat(last().cities().get(1).air().value()).isEqualTo(1.0);

    harness.processBroadcastElement(update(air("kunshan", "kunshan-air-02")), 0);
    harness.processWatermark(T0.plusSeconds(120).toEpochMilli());

    assertThat(last().cities().get(1).air().denominator()).isEqualTo(2);
    assertThat(last().cities().get(1).air().value()).isEqualTo(0.5);
  }

  @Test
  void aPointThatStopsDeliveringLeavesTheNumeratorAfterTheFreshnessWindow() throws Exception {
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(30));
    harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
    pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofHours(2)).plusSeconds(40));
    harness.processWatermark(T0.plus(Duration.ofHours(2)).plusSeconds(60).toEpochMilli());

    assertThat(last().cities().get(1).air().numerator()).isZero();
    assertThat(last().cities().get(0).air().numerator()).isEqualTo(1);
  }
}
