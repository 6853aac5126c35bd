package io.envmon.jobs.alert;

import static io.envmon.jobs.Readings.arrivedAt;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.jobs.Points;
import io.envmon.jobs.ingest.PointUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OfflineDetectorTest {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  private static final MonitoringPoint AIR = Points.air("wujiang", "wujiang-air-01");
  private static final MonitoringPoint SILENT = Points.air("wujiang", "wujiang-air-02");
  private KeyedTwoInputStreamOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness = harness(null);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static KeyedTwoInputStreamOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert>
      harness(OperatorSubtaskState restoreFrom) throws Exception {
    var harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(
                new OfflineDetector(AlertSettings.defaults(List.of("wujiang")))),
            (AcceptedReading r) -> r.reading().pointId(),
            PointUpdate::pointId,
            Types.STRING);
    harness.setup();
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    return harness;
  }

  /** A reading observed and received at {@code at}. */
  private void pm25(String pointId, Instant at, DataFlag flag) throws Exception {
    pm25(pointId, at, at, flag);
  }

  private void pm25(String pointId, Instant observedAt, Instant receivedAt, DataFlag flag)
      throws Exception {
    harness.processElement1(
        arrivedAt(
            reading(
                "wujiang",
                pointId,
                PointKind.AIR,
                observedAt,
                new Measurement(Parameter.PM25, 35, flag)),
            receivedAt),
        receivedAt.toEpochMilli());
  }

  private void register(MonitoringPoint point) throws Exception {
    harness.processElement2(Points.update(point), Long.MIN_VALUE);
  }

  private void watermark(Instant at) throws Exception {
    harness.processBothWatermarks(
        new org.apache.flink.streaming.api.watermark.Watermark(at.toEpochMilli()));
  }

  private static MonitoringPoint withStatus(MonitoringPoint p, PointStatus status) {
    return new MonitoringPoint(
        p.id(),
        p.cityId(),
        p.kind(),
        p.name(),
        p.nameEn(),
        p.lat(),
        p.lon(),
        status,
        p.sharing(),
        p.sharedWith(),
        p.water(),
        p.noiseZone());
  }

  @Test
  void anAirPointWithoutValidDataForTwoHoursIsOfflineAndComesBack() throws Exception {
    pm25(AIR.id(), T0, DataFlag.N);
    pm25(AIR.id(), T0.plus(Duration.ofMinutes(30)), DataFlag.D); // fault values are not valid
    watermark(T0.plus(Duration.ofHours(2)).minusMillis(1));
    assertThat(harness.extractOutputValues()).isEmpty();

    watermark(T0.plus(Duration.ofHours(2)));
    pm25(AIR.id(), T0.plus(Duration.ofHours(3)), DataFlag.N);

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts).extracting(Alert::type).containsOnly(AlertType.DEVICE_OFFLINE);
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).startedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(alerts.get(1).alertId()).isEqualTo(alerts.get(0).alertId());
  }

  @Test
  void anImportedFileOfHistoryDoesNotClearAnOfflinePoint() throws Exception {
    pm25(AIR.id(), T0, DataFlag.N);
    watermark(T0.plus(Duration.ofHours(2)));
    AcceptedReading live =
        reading(
            "wujiang",
            AIR.id(),
            PointKind.AIR,
            T0.plus(Duration.ofMinutes(90)),
            new Measurement(Parameter.PM25, 35, DataFlag.N));
    Reading imported =
        new Reading(
            live.reading().readingId(),
            live.reading().pointId(),
            live.reading().observedAt(),
            live.reading().measurements(),
            Source.IMPORT);
    Instant uploadedAt = T0.plus(Duration.ofHours(3));
    harness.processElement1(
        new AcceptedReading(imported, "wujiang", PointKind.AIR, "import-1", 0, uploadedAt),
        uploadedAt.toEpochMilli());

    assertThat(harness.extractOutputValues())
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED);
  }

  @Test
  void aPointReportingWithinTheWindowStaysOnline() throws Exception {
    register(AIR);
    for (int i = 0; i < 10; i++) {
      pm25(AIR.id(), T0.plus(Duration.ofHours(i)), DataFlag.N);
      watermark(T0.plus(Duration.ofHours(i)));
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void anActivePointThatNeverReportedIsOfflineAWindowAfterTheFirstWatermark() throws Exception {
    // The registry is read at start, before any reading has made a watermark.
    register(SILENT);
    register(AIR);
    pm25(AIR.id(), T0, DataFlag.N);
    watermark(T0);
    pm25(AIR.id(), T0.plus(Duration.ofMinutes(110)), DataFlag.N);
    watermark(T0.plus(Duration.ofHours(2)).minusMillis(1));
    assertThat(harness.extractOutputValues()).isEmpty();

    watermark(T0.plus(Duration.ofHours(2)));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AlertType.DEVICE_OFFLINE);
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.pointId()).isEqualTo(SILENT.id());
              assertThat(a.cityId()).isEqualTo("wujiang");
              assertThat(a.startedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
              assertThat(a.message()).contains("since it was registered");
              assertThat(a.messageZh())
                  .isEqualTo("设备离线：登记后（自 2025-11-21 08:00 +08:00 起）120 分钟从未上报有效数据");
            });
  }

  @Test
  void theAlertTextsTellTimeInTheZoneThePointsRegistryRecordNamesForItsCity() throws Exception {
    harness.processElement2(
        new PointUpdate(
            SILENT.id(), SILENT, new CityTime(ZoneId.of("Asia/Urumqi"), NightWindow.DEFAULT)),
        0);
    watermark(T0);
    watermark(T0.plus(Duration.ofHours(2)));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.messageZh()).contains("自 2025-11-21 06:00 +06:00 起"));
  }

  @Test
  void aPointRegisteredLaterIsWatchedFromThen() throws Exception {
    pm25(AIR.id(), T0, DataFlag.N);
    watermark(T0.plus(Duration.ofHours(1)));
    register(SILENT); // appears at event time T0 + 1 h
    watermark(T0.plus(Duration.ofHours(3)).minusMillis(1));
    assertThat(harness.extractOutputValues())
        .extracting(Alert::pointId)
        .containsExactly(AIR.id()); // only the point that went silent at T0 + 2 h

    watermark(T0.plus(Duration.ofHours(3)));
    assertThat(harness.extractOutputValues())
        .extracting(Alert::pointId)
        .containsExactly(AIR.id(), SILENT.id());
  }

  @Test
  void plannedAndDecommissionedPointsAreNotWatchedAndLeavingActiveClears() throws Exception {
    register(withStatus(SILENT, PointStatus.PLANNED));
    register(AIR);
    watermark(T0);
    watermark(T0.plus(Duration.ofHours(2)));
    assertThat(harness.extractOutputValues())
        .extracting(Alert::pointId, Alert::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AIR.id(), AlertState.RAISED));

    register(withStatus(AIR, PointStatus.DECOMMISSIONED));
    watermark(T0.plus(Duration.ofHours(10)));

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::pointId, Alert::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AIR.id(), AlertState.RAISED),
            org.assertj.core.groups.Tuple.tuple(AIR.id(), AlertState.CLEARED));
    assertThat(alerts.get(1).alertId()).isEqualTo(alerts.get(0).alertId());
    assertThat(alerts.get(1).message()).contains("DECOMMISSIONED");
  }

  @Test
  void afterARestoreTheTimersAreStillThereAndNothingIsRaisedTwice() throws Exception {
    register(SILENT);
    register(AIR);
    watermark(T0);
    pm25(AIR.id(), T0, DataFlag.N);
    OperatorSubtaskState beforeAnyAlert = harness.snapshot(1, 1);
    harness.close();

    harness = harness(beforeAnyAlert);
    // The registry is read again after the restore: it must not restart or duplicate the watch.
    register(SILENT);
    register(AIR);
    watermark(T0.plus(Duration.ofHours(2)));
    assertThat(harness.extractOutputValues())
        .extracting(Alert::pointId)
        .containsExactlyInAnyOrder(AIR.id(), SILENT.id());
    OperatorSubtaskState whileOffline = harness.snapshot(2, 2);
    harness.close();

    harness = harness(whileOffline);
    register(SILENT);
    register(AIR);
    watermark(T0.plus(Duration.ofHours(6)));
    assertThat(harness.extractOutputValues()).isEmpty();
    pm25(SILENT.id(), T0.plus(Duration.ofHours(7)), DataFlag.N);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pointId()).isEqualTo(SILENT.id());
              assertThat(a.state()).isEqualTo(AlertState.CLEARED);
            });
  }

  /**
   * Why the API reads alerts read_committed (docs/alerts.md, "Only committed alerts are
   * announced"): the platform clock is the jobs' wall clock while nothing arrives, so a replay from
   * the last checkpoint can meet the same readings at another time and decide otherwise. An alert
   * of the run that failed, never committed, is then one the restored jobs know nothing of.
   */
  @Test
  void aReplayFromTheCheckpointNeedNotRepeatAnAlertOfTheRunThatFailed() throws Exception {
    register(AIR);
    watermark(T0);
    pm25(AIR.id(), T0, DataFlag.N);
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    Instant late = T0.plus(Duration.ofHours(2)).plusSeconds(30);

    // the run that fails: the clock passes the deadline before the next reading arrives
    watermark(T0.plus(Duration.ofHours(2)));
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.RAISED));
    harness.close();

    // the replay: that reading waits in Kafka and comes before the restored clock moves on
    harness = harness(checkpoint);
    register(AIR);
    pm25(AIR.id(), late, DataFlag.N);
    watermark(late.minusSeconds(10));
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aBackFillAfterAnOutageClearsTheAlertAndNamesTheSilenceAndTheDataGap() throws Exception {
    register(AIR);
    pm25(AIR.id(), T0, DataFlag.N);
    watermark(T0.plus(Duration.ofHours(3))); // the gateway is cut off: nothing arrives
    // The gateway's spool drains: readings observed (and received by the gateway) since T0.
    pm25(AIR.id(), T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(5)), DataFlag.N);
    pm25(AIR.id(), T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(10)), DataFlag.N);

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    Alert cleared = alerts.get(1);
    assertThat(cleared.startedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(cleared.updatedAt()).isEqualTo(T0.plus(Duration.ofHours(3)));
    assertThat(cleared.values()).containsEntry("silentMinutes", 180.0);
    assertThat(cleared.values()).containsEntry("dataGapMinutes", 5.0);
    assertThat(cleared.messageZh())
        .isEqualTo("设备恢复：观测时间 2025-11-21 08:05 +08:00 的有效数据于 2025-11-21 11:00 +08:00 到达平台");

    // The back-filled readings count as arrivals now: the point is watched from the clock.
    watermark(T0.plus(Duration.ofHours(5)).minusMillis(1));
    assertThat(harness.extractOutputValues()).hasSize(2);
  }

  @Test
  void aStationWhoseClockIsADayBehindIsOnlineWhileItsReadingsArrive() throws Exception {
    register(AIR);
    for (int i = 0; i < 60; i++) {
      Instant arrival = T0.plus(Duration.ofMinutes(5L * i));
      pm25(AIR.id(), arrival.minus(Duration.ofDays(1)), arrival, DataFlag.N);
      watermark(arrival);
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aQuietPlatformRaisesEachSilentPointOnceAndNeverDatesItAfterTheClock() throws Exception {
    register(AIR);
    pm25(AIR.id(), T0, DataFlag.N);
    for (int minute = 0; minute <= 6 * 60; minute++) {
      watermark(T0.plus(Duration.ofMinutes(minute)));
    }
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.startedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
            });
  }
}
