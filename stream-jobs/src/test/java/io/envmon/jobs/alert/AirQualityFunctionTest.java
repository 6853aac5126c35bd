package io.envmon.jobs.alert;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class AirQualityFunctionTest {

  private static final Instant MIDNIGHT = Instant.parse("2025-11-21T16:00:00Z");

  private static AcceptedReading pm25(int hour, int minute, double value) {
    return reading(
        "wujiang",
        "wujiang-air-01",
        PointKind.AIR,
        MIDNIGHT.plus(Duration.ofHours(hour).plusMinutes(minute)),
        Measurement.valid(Parameter.PM25, value));
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, AcceptedReading, Alert> harness(
      AlertSettings settings) throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new AirQualityFunction(settings), r -> r.reading().pointId(), Types.STRING);
  }

  private static void hour(
      KeyedOneInputStreamOperatorTestHarness<String, AcceptedReading, Alert> harness,
      int hour,
      double... values)
      throws Exception {
    for (int i = 0; i < values.length; i++) {
      AcceptedReading r = pm25(hour, 10 + i * 20, values[i]);
      harness.processElement(r, r.reading().observedAt().toEpochMilli());
    }
    harness.processWatermark(MIDNIGHT.plus(Duration.ofHours(hour + 1)).toEpochMilli());
  }

  @Test
  void anAqiEpisodeRaisesOneAlertEscalatesAndClears() throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang", "kunshan")));

    hour(harness, 0, 170, 190); // 1h mean 180 µg/m³ → AQI 230, 重度污染
    hour(harness, 1, 300, 300); // AQI 350, 严重污染
    hour(harness, 2, 280, 320); // still severe: no new event
    hour(harness, 3, 40, 60); // AQI 71: recovered

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.ESCALATED, AlertState.CLEARED);
    assertThat(alerts).extracting(Alert::alertId).containsOnly(alerts.get(0).alertId());
    assertThat(alerts).extracting(Alert::type).containsOnly(AlertType.AIR_QUALITY);
    assertThat(alerts.get(0).severity()).isEqualTo(AlertSeverity.MAJOR);
    assertThat(alerts.get(0).values()).containsEntry("aqi", 230.0).containsEntry("pm25", 180.0);
    assertThat(alerts.get(0).startedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(1)));
    assertThat(alerts.get(0).messageZh())
        .isEqualTo("截至 2025-11-21T17:00:00Z 的小时空气质量指数（AQI）为 230（重度污染），报警阈值 200");
    assertThat(alerts.get(1).severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(alerts.get(1).messageZh()).contains("为 350（严重污染）");
    assertThat(alerts.get(2).updatedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(4)));
  }

  @Test
  void withHysteresisOfTwoHoursASingleBadHourRaisesNothing() throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang")).withHysteresis(2, 2));

    hour(harness, 0, 180);
    hour(harness, 1, 50);
    hour(harness, 2, 180);
    hour(harness, 3, 180);

    assertThat(harness.extractOutputValues())
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED);
  }
}
