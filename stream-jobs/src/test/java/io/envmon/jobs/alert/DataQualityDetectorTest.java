package io.envmon.jobs.alert;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataQualityDetectorTest {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  private KeyedOneInputStreamOperatorTestHarness<String, AcceptedReading, Alert> harness;
  private int minute;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DataQualityDetector(AlertSettings.defaults(List.of("wujiang"))), // 6 repeats
            r -> r.reading().pointId(),
            Types.STRING);
  }

  private void pm25(double value) throws Exception {
    Instant at = T0.plusSeconds(60L * minute++);
    harness.processElement(
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            at,
            Measurement.valid(Parameter.PM25, value),
            Measurement.valid(Parameter.PM10, 60 + minute)),
        at.toEpochMilli());
  }

  @Test
  void theSameValueSixTimesInARowIsAStuckSensorUntilItMovesAgain() throws Exception {
    for (int i = 0; i < 5; i++) {
      pm25(42.0);
    }
    assertThat(harness.extractOutputValues()).isEmpty();

    pm25(42.0);
    pm25(42.0);
    pm25(43.5);

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts).extracting(Alert::type).containsOnly(AlertType.DATA_QUALITY);
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).values()).containsOnlyKeys("pm25");
    assertThat(alerts.get(0).messageZh()).isEqualTo("数据恒值：[pm25] 连续 6 次以上数值完全相同");
    assertThat(alerts.get(1).messageZh()).isEqualTo("数据恢复正常：数值有变化且合理");
  }

  @Test
  void aReadingDeliveredAgainIsNotARepeatOfTheSensor() throws Exception {
    for (int i = 0; i < 3; i++) {
      Instant at = T0.plusSeconds(60L * minute++);
      AcceptedReading r =
          reading(
              "wujiang",
              "wujiang-air-01",
              PointKind.AIR,
              at,
              Measurement.valid(Parameter.PM25, 42.0));
      harness.processElement(r, at.toEpochMilli());
      harness.processElement(r, at.toEpochMilli()); // at-least-once: the same reading twice
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aNegativeConcentrationFlaggedValidIsAnImpossibleValue() throws Exception {
    Instant at = T0.plusSeconds(60L * minute++);
    harness.processElement(
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            at,
            Measurement.valid(Parameter.PM25, -3.0),
            Measurement.valid(Parameter.PM10, 60)),
        at.toEpochMilli());
    pm25(35.0);

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).values()).containsExactly(java.util.Map.entry("pm25", -3.0));
    assertThat(alerts.get(0).message()).contains("impossible");
  }

  @Test
  void aJumpNatureCannotMakeBetweenTwoReadingsIsImplausibleUntilValuesSettle() throws Exception {
    pm25(35.0);
    pm25(900.0); // +865 µg/m³ within a minute
    pm25(880.0); // close to the last value again: plausible

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).values()).containsExactly(java.util.Map.entry("pm25", 900.0));
    assertThat(alerts.get(0).message()).contains("implausible jump");
  }

  @Test
  void aSharpButPossibleRiseIsNotADataQualityProblem() throws Exception {
    pm25(35.0);
    pm25(300.0); // a heavy episode arriving: the AIR_QUALITY rule's business

    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void steadyWeatherIsNotAStuckSensorAndFrostIsNotImpossible() throws Exception {
    for (int i = 0; i < 8; i++) {
      Instant at = T0.plusSeconds(60L * minute++);
      harness.processElement(
          reading(
              "wujiang",
              "wujiang-air-01",
              PointKind.AIR,
              at,
              Measurement.valid(Parameter.PM25, 30 + i),
              Measurement.valid(Parameter.AIR_TEMP, -4.0),
              Measurement.valid(Parameter.RH, 100),
              Measurement.valid(Parameter.PRESSURE, 101.3),
              Measurement.valid(Parameter.WIND_SPEED, 0),
              Measurement.valid(Parameter.WIND_DIR, 0)),
          at.toEpochMilli());
    }
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aHumidityAboveAHundredPercentIsAnImpossibleValue() throws Exception {
    Instant at = T0.plusSeconds(60L * minute++);
    harness.processElement(
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            at,
            Measurement.valid(Parameter.PM25, 30),
            Measurement.valid(Parameter.RH, 120)),
        at.toEpochMilli());
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.values()).containsOnlyKeys("rh"));
  }
}
