package io.envmon.jobs.alert;

import static io.envmon.jobs.Points.section;
import static io.envmon.jobs.Points.update;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaterAndJointAlertsTest {

  private static final Instant T0 = Instant.parse("2025-11-21T02:00:00Z");

  /** Taipu river: wujiang w-01 → wujiang w-02 → kunshan w-01 → kunshan w-02, and → jiaxing. */
  private static final List<MonitoringPoint> REGISTRY =
      List.of(
          section("wujiang", "wujiang-w-01", "wujiang-w-02"),
          section("wujiang", "wujiang-w-02", "kunshan-w-01", "jiaxing-w-01"),
          section("kunshan", "kunshan-w-01", "kunshan-w-02"),
          section("kunshan", "kunshan-w-02"),
          section("jiaxing", "jiaxing-w-01"),
          section("suzhou", "suzhou-w-09", "wujiang-w-01"));

  private final AlertSettings settings =
      AlertSettings.defaults(List.of("wujiang", "kunshan", "jiaxing", "suzhou"));
  private KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert> water;
  private KeyedBroadcastOperatorTestHarness<String, Alert, PointUpdate, Alert> fanOut;

  @BeforeEach
  void openHarnesses() throws Exception {
    water =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new WaterClassFunction(settings),
            r -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    fanOut =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new JointAlertFanOut(settings),
            Alert::alertId,
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    for (MonitoringPoint point : REGISTRY) {
      water.processBroadcastElement(update(point), 0);
      fanOut.processBroadcastElement(update(point), 0);
    }
  }

  private List<Alert> sectionReads(Instant at, double nh3n) throws Exception {
    AcceptedReading r =
        reading(
            "wujiang",
            "wujiang-w-01",
            PointKind.WATER,
            at,
            Measurement.valid(Parameter.NH3N, nh3n),
            Measurement.valid(Parameter.DO, 7.0));
    int before = water.extractOutputValues().size();
    water.processElement(r, at.toEpochMilli());
    List<Alert> emitted = water.extractOutputValues();
    return emitted.subList(before, emitted.size());
  }

  @Test
  void aSectionWorseThanItsTargetRaisesWaterClassAndWorseThanVIsCritical() throws Exception {
    assertThat(sectionReads(T0, 0.8)).isEmpty(); // class III meets the target
    List<Alert> raised = sectionReads(T0.plusSeconds(3600), 1.8); // class V
    assertThat(raised)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AlertType.WATER_CLASS);
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.severity()).isEqualTo(AlertSeverity.MAJOR);
              assertThat(a.values()).containsEntry("nh3n", 1.8);
              assertThat(a.messageZh()).isEqualTo("断面水质类别 Ⅴ类，目标 Ⅲ类，超标项目：[NH3N]");
            });
    assertThat(sectionReads(T0.plusSeconds(7200), 2.4)) // 劣V
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.ESCALATED);
              assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
            });
  }

  @Test
  void anUpstreamExceedanceWarnsEachDownstreamCityOnceWithThePath() throws Exception {
    Alert origin = sectionReads(T0, 1.8).get(0);

    fanOut.processElement(origin, T0.toEpochMilli());

    List<Alert> out = fanOut.extractOutputValues();
    assertThat(out.get(0)).isEqualTo(onTime(origin));
    List<Alert> joint = out.stream().filter(a -> a.type() == AlertType.JOINT).toList();
    assertThat(joint).extracting(Alert::cityId).containsExactlyInAnyOrder("kunshan", "jiaxing");
    Alert kunshan = joint.stream().filter(a -> a.cityId().equals("kunshan")).findFirst().get();
    assertThat(kunshan.pointId()).isEqualTo("kunshan-w-01");
    assertThat(kunshan.path()).containsExactly("wujiang-w-01", "wujiang-w-02", "kunshan-w-01");
    assertThat(kunshan.originPointId()).isEqualTo("wujiang-w-01");
    assertThat(kunshan.originCityId()).isEqualTo("wujiang");
    assertThat(kunshan.state()).isEqualTo(AlertState.RAISED);
    assertThat(kunshan.messageZh())
        .isEqualTo(
            "联防联控（上游断面水质超标）：来自 wujiang 的监测点 wujiang-w-01，"
                + "传递路径 wujiang-w-01 → wujiang-w-02 → kunshan-w-01；"
                + origin.messageZh());
    Alert jiaxing = joint.stream().filter(a -> a.cityId().equals("jiaxing")).findFirst().get();
    assertThat(jiaxing.path()).containsExactly("wujiang-w-01", "wujiang-w-02", "jiaxing-w-01");
    assertThat(kunshan.alertId()).isNotEqualTo(jiaxing.alertId()).isNotEqualTo(origin.alertId());
  }

  @Test
  void theJointAlertClearsUnderTheSameIdWhenTheOriginClears() throws Exception {
    Alert raised = sectionReads(T0, 1.8).get(0);
    Alert cleared = sectionReads(T0.plusSeconds(3600), 0.5).get(0);

    fanOut.processElement(raised, T0.toEpochMilli());
    fanOut.processElement(cleared, T0.plusSeconds(3600).toEpochMilli());

    List<Alert> kunshan =
        fanOut.extractOutputValues().stream()
            .filter(a -> a.type() == AlertType.JOINT && a.cityId().equals("kunshan"))
            .toList();
    assertThat(kunshan)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(kunshan.get(0).alertId()).isEqualTo(kunshan.get(1).alertId());
  }

  @Test
  void theJointAlertsOfAnAirEpisodeClearWhenTheOriginClearsWithGoodValues() throws Exception {
    Instant start = Instant.parse("2025-11-21T03:00:00Z");
    Alert raised =
        new Alert(
            Alert.idFor(AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", start),
            AlertType.AIR_QUALITY,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "wujiang-air-01",
            "wujiang",
            PointKind.AIR,
            java.util.Map.of("aqi", 230.0),
            200.0,
            "AQI 230",
            null,
            start,
            start,
            null,
            null,
            null);
    Alert cleared =
        raised.next(
            AlertState.CLEARED,
            AlertSeverity.MAJOR,
            java.util.Map.of("aqi", 60.0),
            "AQI 60",
            start.plusSeconds(3600));

    fanOut.processElement(raised, start.toEpochMilli());
    fanOut.processElement(cleared, start.plusSeconds(3600).toEpochMilli());

    List<Alert> suzhou =
        fanOut.extractOutputValues().stream()
            .filter(a -> a.type() == AlertType.JOINT && a.cityId().equals("suzhou"))
            .toList();
    assertThat(suzhou)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
  }

  @Test
  void aModerateAirAlertStaysInItsCity() throws Exception {
    Instant start = Instant.parse("2025-11-21T03:00:00Z");
    Alert moderate =
        new Alert(
            Alert.idFor(AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", start),
            AlertType.AIR_QUALITY,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "wujiang-air-01",
            "wujiang",
            PointKind.AIR,
            java.util.Map.of("aqi", 180.0),
            150.0,
            "AQI 180",
            null,
            start,
            start,
            null,
            null,
            null);

    fanOut.processElement(moderate, start.toEpochMilli());

    assertThat(fanOut.extractOutputValues()).containsExactly(onTime(moderate));
  }

  /** What the fan-out makes of an alert it sees in time: stamped, not delayed. */
  private static Alert onTime(Alert alert) {
    return alert.detected(alert.updatedAt(), false, alert.message(), alert.messageZh());
  }

  @Test
  void anAlertFromDataThatArrivedLateIsMarkedDelayedWithBothTimesAndSoAreItsJointCopies()
      throws Exception {
    Alert origin = sectionReads(T0, 1.8).get(0);
    Instant arrival = T0.plus(java.time.Duration.ofHours(3));
    fanOut.processBroadcastWatermark(Long.MAX_VALUE); // the registry has been read
    fanOut.processWatermark(arrival.toEpochMilli()); // the platform clock, hours later

    fanOut.processElement(origin, arrival.toEpochMilli());

    List<Alert> out = fanOut.extractOutputValues();
    assertThat(out).hasSize(3).allSatisfy(a -> assertThat(a.delayed()).isTrue());
    assertThat(out).extracting(Alert::detectedAt).containsOnly(arrival);
    assertThat(out).extracting(Alert::startedAt).containsOnly(T0);
    assertThat(out.get(0).messageZh())
        .endsWith("（迟到数据：观测时间 2025-11-21 10:00 +08:00，平台收到时间 2025-11-21 13:00 +08:00）");
    assertThat(out.get(0).message())
        .endsWith(
            "[delayed data: observed 2025-11-21 10:00 +08:00, detected 2025-11-21 13:00 +08:00]");
  }

  @Test
  void aHeavyAirEpisodeWarnsTheClustersOtherCities() throws Exception {
    Instant start = Instant.parse("2025-11-21T03:00:00Z");
    Alert air =
        new Alert(
            Alert.idFor(AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", start),
            AlertType.AIR_QUALITY,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "wujiang-air-01",
            "wujiang",
            PointKind.AIR,
            java.util.Map.of("aqi", 230.0),
            200.0,
            "AQI 230",
            null,
            start,
            start,
            null,
            null,
            null);

    fanOut.processElement(air, start.toEpochMilli());

    assertThat(fanOut.extractOutputValues().stream().filter(a -> a.type() == AlertType.JOINT))
        .extracting(Alert::cityId)
        .containsExactlyInAnyOrder("kunshan", "jiaxing", "suzhou");
  }
}
