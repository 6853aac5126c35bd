package io.envmon.jobs.alert;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OfflineDetectorTest {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  private KeyedOneInputStreamOperatorTestHarness<String, AcceptedReading, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new OfflineDetector(AlertSettings.defaults(List.of("wujiang"))),
            r -> r.reading().pointId(),
            Types.STRING);
  }

  private void pm25(Instant at, DataFlag flag) throws Exception {
    harness.processElement(
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            at,
            new Measurement(Parameter.PM25, 35, flag)),
        at.toEpochMilli());
  }

  @Test
  void anAirPointWithoutValidDataForTwoHoursIsOfflineAndComesBack() throws Exception {
    pm25(T0, DataFlag.N);
    pm25(T0.plus(Duration.ofMinutes(30)), DataFlag.D); // fault values are not valid data
    harness.processWatermark(T0.plus(Duration.ofHours(2)).toEpochMilli() - 1);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processWatermark(T0.plus(Duration.ofHours(2)).toEpochMilli());
    pm25(T0.plus(Duration.ofHours(3)), DataFlag.N);

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts).extracting(Alert::type).containsOnly(AlertType.DEVICE_OFFLINE);
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).startedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(alerts.get(1).alertId()).isEqualTo(alerts.get(0).alertId());
  }

  @Test
  void aPointReportingWithinTheWindowStaysOnline() throws Exception {
    for (int i = 0; i < 10; i++) {
      pm25(T0.plus(Duration.ofHours(i)), DataFlag.N);
      harness.processWatermark(T0.plus(Duration.ofHours(i)).toEpochMilli());
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }
}
