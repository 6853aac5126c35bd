package io.envmon.jobs.alert;

import static io.envmon.jobs.Points.noise;
import static io.envmon.jobs.Points.update;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NoiseLimitFunctionTest {

  private KeyedBroadcastOperatorTestHarness<String, AcceptedReading, PointUpdate, Alert> harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new NoiseLimitFunction(AlertSettings.defaults(List.of("kunshan"))),
            r -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    // Zone 2: day 60 dB(A), night 50 dB(A) (GB 3096-2008 table 1).
    harness.processBroadcastElement(update(noise("kunshan", "kunshan-n-01", NoiseZone.Z2)), 0);
  }

  private void leq(String localTimeInShanghai, double leq) throws Exception {
    Instant at = Instant.parse("2025-11-21T" + localTimeInShanghai + ":00+08:00");
    harness.processElement(
        reading(
            "kunshan", "kunshan-n-01", PointKind.NOISE, at, Measurement.valid(Parameter.LEQ, leq)),
        at.toEpochMilli());
  }

  /** What RegistryCatchUp emits once the registry is read up to its end at start. */
  private void registryCaughtUp() throws Exception {
    harness.processBroadcastWatermark(
        new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
  }

  @Test
  void leq55IsWithinTheDayLimitAt2159Local() throws Exception {
    leq("21:59", 55);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void leq55ExceedsTheNightLimitFrom2200Local() throws Exception {
    leq("21:59", 55);
    leq("22:00", 55);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.type()).isEqualTo(AlertType.NOISE_LIMIT);
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.threshold()).isEqualTo(50.0);
              assertThat(a.messageZh())
                  .isEqualTo("等效声级 55.0 dB(A)，2 类声环境功能区夜间限值 50 dB(A)，超标 5.0 dB(A)");
              assertThat(a.startedAt()).isEqualTo(Instant.parse("2025-11-21T14:00:00Z"));
            });
  }

  @Test
  void aPointMissingFromTheRegistryIsNotAssessed() throws Exception {
    harness.processBroadcastElement(new PointUpdate("kunshan-n-01", null), 0);
    leq("23:00", 80);
    assertThat(harness.extractOutputValues()).isEmpty();
    // Once the registry has caught up (the watermark moves), it is still unknown: dropped.
    registryCaughtUp();
    harness.processWatermark(Instant.parse("2025-11-21T15:00:00Z").toEpochMilli());
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processBroadcastElement(update(noise("kunshan", "kunshan-n-01", NoiseZone.Z2)), 0);
    leq("23:30", 55);
    assertThat(harness.extractOutputValues())
        .extracting(Alert::values)
        .containsExactly(java.util.Map.of("leq", 55.0));
  }

  @Test
  void aReadingBeforeItsPointReachesTheRegistryIsJudgedOnceTheRegistryHasCaughtUp()
      throws Exception {
    harness.processBroadcastElement(new PointUpdate("kunshan-n-01", null), 0);
    leq("23:00", 80); // no watermark yet: the registry has not caught up, the reading waits
    leq("23:10", 56);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processBroadcastElement(update(noise("kunshan", "kunshan-n-01", NoiseZone.Z2)), 0);
    harness.processWatermark(Instant.parse("2025-11-21T15:00:00Z").toEpochMilli());
    assertThat(harness.extractOutputValues()).isEmpty(); // the registry side has no watermark yet
    registryCaughtUp();

    List<Alert> alerts = harness.extractOutputValues();
    assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.RAISED);
    assertThat(alerts.get(0).values()).containsEntry("leq", 80.0);
    assertThat(alerts.get(0).startedAt()).isEqualTo(Instant.parse("2025-11-21T15:00:00Z"));
  }

  @Test
  void aCityWhoseNightIsElevenToSevenJudges2230AsDayAnd0630AsNight() throws Exception {
    harness.close();
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new NoiseLimitFunction(TunedAlertSettings.of(List.of("kunshan")).build()),
            r -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    harness.processBroadcastElement(
        elevenToSeven(noise("kunshan", "kunshan-n-01", NoiseZone.Z2)), 0);

    leq("22:30", 55); // day in kunshan: within 60 dB(A)
    assertThat(harness.extractOutputValues()).isEmpty();
    leq("23:00", 55); // night from 23:00: over 50 dB(A)
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.threshold()).isEqualTo(50.0);
              assertThat(a.startedAt()).isEqualTo(Instant.parse("2025-11-21T15:00:00Z"));
            });
  }

  @Test
  void halfPastSixIsStillNightWhenTheCitysNightEndsAtSeven() throws Exception {
    harness.close();
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new NoiseLimitFunction(TunedAlertSettings.of(List.of("kunshan")).build()),
            r -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    harness.processBroadcastElement(
        elevenToSeven(noise("kunshan", "kunshan-n-01", NoiseZone.Z2)), 0);

    leq("06:30", 55);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(a -> assertThat(a.messageZh()).contains("夜间限值 50 dB(A)"));
  }

  @Test
  void aCityWithoutANightWindowKeepsTwentyTwoToSix() throws Exception {
    // The point's record names no night window (written before the API sent them): 06:30 is day.
    leq("06:30", 55);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  /** The point's registry record as the API sends it for a city whose night is 23:00–07:00. */
  private static PointUpdate elevenToSeven(MonitoringPoint point) {
    return new PointUpdate(
        point.id(),
        point,
        new CityTime(ZoneId.of("Asia/Shanghai"), NightWindow.parse("23:00-07:00")));
  }
}
