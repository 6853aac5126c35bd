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
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
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

  private static KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert>
      harness(AlertSettings settings) throws Exception {
    var harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new AirQualityFunction(settings),
            r -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    // The registry has been read to its end: the readings' watermark alone moves time.
    harness.processBroadcastWatermark(Long.MAX_VALUE);
    return harness;
  }

  private static void hour(
      KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert> harness,
      int hour,
      double... values)
      throws Exception {
    for (int i = 0; i < values.length; i++) {
      AcceptedReading r = pm25(hour, 10 + i * 20, values[i]);
      harness.processElement(r, r.receivedAt().toEpochMilli());
    }
    // The platform clock passes the hour's end by the settle time (30 s): the hour is rated.
    harness.processWatermark(
        MIDNIGHT
            .plus(Duration.ofHours(hour + 1))
            .plus(AlertSettings.DEFAULT_SETTLE)
            .toEpochMilli());
  }

  /** Readings of {@code hour} back-filled long after: received when observed, arriving now. */
  private static void backFilled(
      KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert> harness,
      int hour,
      double... values)
      throws Exception {
    for (int i = 0; i < values.length; i++) {
      AcceptedReading r = pm25(hour, 10 + i * 20, values[i]);
      harness.processElement(r, r.receivedAt().toEpochMilli());
    }
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
        .isEqualTo("截至 2025-11-22 01:00 +08:00 的小时空气质量指数（AQI，HJ 633-2012）为 230（重度污染），报警阈值 200");
    assertThat(alerts.get(1).severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(alerts.get(1).messageZh()).contains("为 350（严重污染）");
    assertThat(alerts.get(2).updatedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(4)));
  }

  @Test
  void withHysteresisOfTwoHoursASingleBadHourRaisesNothing() throws Exception {
    var harness = harness(TunedAlertSettings.of(List.of("wujiang")).hysteresis(2, 2).build());

    hour(harness, 0, 180);
    hour(harness, 1, 50);
    hour(harness, 2, 180);
    hour(harness, 3, 180);

    assertThat(harness.extractOutputValues())
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED);
  }

  @Test
  void aBackFillIsRatedHourByHourAsThePointsOwnReadingsMoveOn() throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang")));
    harness.processWatermark(MIDNIGHT.plus(Duration.ofHours(10)).toEpochMilli());

    backFilled(harness, 0, 170, 190); // AQI 230
    backFilled(harness, 1, 300, 300); // AQI 350
    backFilled(harness, 2, 40, 60); // AQI 71

    // Hours 0 and 1 are rated as soon as a later hour's reading arrives; hour 2 when the back-fill
    // has paused for the settle time.
    assertThat(harness.extractOutputValues())
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.ESCALATED);
    harness.processWatermark(
        MIDNIGHT.plus(Duration.ofHours(10)).plus(AlertSettings.DEFAULT_SETTLE).toEpochMilli());
    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.ESCALATED, AlertState.CLEARED);
    assertThat(alerts.get(0).startedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(1)));
    assertThat(alerts.get(2).updatedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(3)));
  }

  @Test
  void aLateReadingThatTurnsAnHourIntoAnExceedanceIsRaisedAndClearedWhenLaterHoursAreGood()
      throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang")));
    hour(harness, 0, 100); // AQI 132
    hour(harness, 1, 50);
    assertThat(harness.extractOutputValues()).isEmpty();

    // A station's back-fill brings the rest of hour 0: its mean becomes 230 µg/m³ (AQI 280).
    for (AcceptedReading late : List.of(pm25(0, 35, 100), pm25(0, 55, 490))) {
      harness.processElement(late, late.receivedAt().toEpochMilli());
    }

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts)
        .extracting(Alert::state)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(0).startedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(1)));
    assertThat(alerts.get(0).values()).containsEntry("aqi", 280.0);
    assertThat(alerts.get(1).updatedAt()).isEqualTo(MIDNIGHT.plus(Duration.ofHours(2)));
  }

  @Test
  void aReadingDeliveredTwiceCountsOnce() throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang")));
    AcceptedReading high = pm25(0, 10, 190);
    harness.processElement(high, high.receivedAt().toEpochMilli());
    AcceptedReading low = pm25(0, 30, 170);
    harness.processElement(low, low.receivedAt().toEpochMilli());
    harness.processElement(low, low.receivedAt().toEpochMilli()); // at-least-once delivery
    harness.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(61)).toEpochMilli());

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.values()).containsEntry("pm25", 180.0));
  }

  @Test
  void stateGoesBackToNothingAHorizonAfterTheLastHour() throws Exception {
    var harness = harness(AlertSettings.defaults(List.of("wujiang")));
    hour(harness, 0, 40);
    harness.processWatermark(
        MIDNIGHT
            .plus(Duration.ofHours(1))
            .plus(AlertSettings.DEFAULT_LATENESS_HORIZON)
            .toEpochMilli());
    assertThat(
            ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>)
                    harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries())
        .isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  /** Defaults, but raised above AQI 100 (轻度污染), where HJ 633-2012 and HJ 633-2026 differ. */
  /** One PM2.5 reading at {@code hourStart} + 20 min, then the hour is rated. */
  private static List<Alert> rateHour(AlertSettings settings, Instant hourStart, double pm25)
      throws Exception {
    var harness = harness(settings);
    AcceptedReading r =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            hourStart.plus(Duration.ofMinutes(20)),
            Measurement.valid(Parameter.PM25, pm25));
    harness.processElement(r, r.receivedAt().toEpochMilli());
    harness.processWatermark(
        hourStart.plus(Duration.ofHours(1)).plus(AlertSettings.DEFAULT_SETTLE).toEpochMilli());
    return harness.extractOutputValues();
  }

  @Test
  void meteorologicalFactorsLeaveTheAqiUnchangedAndAloneRateNothing() throws Exception {
    AlertSettings settings = TunedAlertSettings.of(List.of("wujiang")).aqiRaiseAbove(100).build();
    Instant hour = Instant.parse("2026-01-15T02:00:00Z");
    List<Alert> without = rateHour(settings, hour, 80);
    List<Alert> with =
        rateHour(
            settings,
            hour,
            Measurement.valid(Parameter.PM25, 80),
            Measurement.valid(Parameter.AIR_TEMP, -5),
            Measurement.valid(Parameter.RH, 95),
            Measurement.valid(Parameter.PRESSURE, 102.4),
            Measurement.valid(Parameter.WIND_SPEED, 1.2),
            Measurement.valid(Parameter.WIND_DIR, 45));
    assertThat(with)
        .extracting(Alert::values)
        .isEqualTo(without.stream().map(Alert::values).toList());
    assertThat(with.get(0).values()).containsEntry("aqi", 107.0);
    // An hour of weather alone: no AQI, no alert, no failure.
    assertThat(
            rateHour(
                settings,
                hour,
                Measurement.valid(Parameter.AIR_TEMP, 20),
                Measurement.valid(Parameter.WIND_SPEED, 3)))
        .isEmpty();
  }

  /** Readings of {@code measurements} at {@code hourStart} + 20 min, then the hour is rated. */
  private static List<Alert> rateHour(
      AlertSettings settings, Instant hourStart, Measurement... measurements) throws Exception {
    var harness = harness(settings);
    AcceptedReading r =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            hourStart.plus(Duration.ofMinutes(20)),
            measurements);
    harness.processElement(r, r.receivedAt().toEpochMilli());
    harness.processWatermark(
        hourStart.plus(Duration.ofHours(1)).plus(AlertSettings.DEFAULT_SETTLE).toEpochMilli());
    return harness.extractOutputValues();
  }

  /** 2026-03-01 00:00 +08:00, the default date HJ 633-2026 takes effect. */
  private static final Instant HJ_633_2026_FROM = Instant.parse("2026-02-28T16:00:00Z");

  @Test
  void theLastHourBeforeTheDateIsRatedByHj633of2012() throws Exception {
    AlertSettings settings = TunedAlertSettings.of(List.of("wujiang")).aqiRaiseAbove(100).build();
    Instant lastHourBefore = HJ_633_2026_FROM.minus(Duration.ofHours(1));

    // PM2.5 80: HJ 633-2012 IAQI 107
    List<Alert> alerts = rateHour(settings, lastHourBefore, 80);
    assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.RAISED);
    assertThat(alerts.get(0).values()).containsEntry("aqi", 107.0);
    assertThat(alerts.get(0).message())
        .isEqualTo(
            "hourly AQI 107 (HJ 633-2012; Lightly polluted, 轻度污染) for the hour ending"
                + " 2026-03-01 00:00 +08:00");
    assertThat(alerts.get(0).messageZh())
        .isEqualTo("截至 2026-03-01 00:00 +08:00 的小时空气质量指数（AQI，HJ 633-2012）为 107（轻度污染），报警阈值 100");
    // PM2.5 75: HJ 633-2012 IAQI 100, not above the threshold
    assertThat(rateHour(settings, lastHourBefore, 75)).isEmpty();
  }

  @Test
  void theFirstHourFromTheDateIsRatedByHj633of2026() throws Exception {
    AlertSettings settings = TunedAlertSettings.of(List.of("wujiang")).aqiRaiseAbove(100).build();

    // PM2.5 80: HJ 633-2026 IAQI 119
    List<Alert> alerts = rateHour(settings, HJ_633_2026_FROM, 80);
    assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.RAISED);
    assertThat(alerts.get(0).values()).containsEntry("aqi", 119.0);
    assertThat(alerts.get(0).message()).startsWith("hourly AQI 119 (HJ 633-2026; Lightly polluted");
    assertThat(alerts.get(0).messageZh()).contains("（AQI，HJ 633-2026）为 119（轻度污染）");
    // PM2.5 75: HJ 633-2026 IAQI 114, above the threshold (HJ 633-2012 said 100)
    assertThat(rateHour(settings, HJ_633_2026_FROM, 75))
        .extracting(a -> a.values().get("aqi"))
        .containsExactly(114.0);
  }

  @Test
  void theDateIsASetting() throws Exception {
    AlertSettings later =
        TunedAlertSettings.of(List.of("wujiang"))
            .aqiRaiseAbove(100)
            .hj633of2026From(HJ_633_2026_FROM.plus(Duration.ofHours(1)))
            .build();

    assertThat(rateHour(later, HJ_633_2026_FROM, 80))
        .extracting(a -> a.values().get("aqi"))
        .containsExactly(107.0);
    assertThat(rateHour(later, HJ_633_2026_FROM.plus(Duration.ofHours(1)), 80))
        .extracting(a -> a.values().get("aqi"))
        .containsExactly(119.0);
  }
}
