package io.envmon.jobs.ingest;

import static io.envmon.jobs.Readings.arrivedAt;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeReadingsTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  private static OneInputStreamOperatorTestHarness<RawRecord, AcceptedReading> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(
        new DecodeReadings(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(10)));
  }

  private static RawRecord record(Instant observedAt, Instant receivedAt) {
    AcceptedReading r =
        arrivedAt(
            reading(
                "wujiang",
                "wujiang-air-01",
                PointKind.AIR,
                observedAt,
                Measurement.valid(Parameter.PM25, 30)),
            receivedAt);
    return new RawRecord("envmon.readings.v1", 0, 1, null, AcceptedReadingJson.encode(r));
  }

  @Test
  void anArrivalStampedAheadOfThePlatformClockIsTakenAsNow() throws Exception {
    var harness = harness();
    harness.processElement(record(NOW.plus(Duration.ofHours(8)), NOW.plus(Duration.ofHours(8))), 0);

    AcceptedReading decoded = harness.extractOutputValues().get(0);
    assertThat(decoded.receivedAt()).isEqualTo(NOW);
    assertThat(decoded.credibleObservedAt()).isEqualTo(NOW);
  }

  @Test
  void anArrivalInThePastIsKept() throws Exception {
    var harness = harness();
    Instant yesterday = NOW.minus(Duration.ofDays(1));
    harness.processElement(record(yesterday, yesterday), 0);

    assertThat(harness.extractOutputValues().get(0).receivedAt()).isEqualTo(yesterday);
  }

  @Test
  void whatDoesNotDecodeIsADeadLetter() throws Exception {
    var harness = harness();
    harness.processElement(
        new RawRecord("envmon.readings.v1", 0, 2, null, "{".getBytes(StandardCharsets.UTF_8)), 0);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(DecodeReadings.DEAD_LETTERS)).hasSize(1);
  }
}
