package io.envmon.jobs.ingest;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class ArrivalClockTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  /** A platform clock the test moves by hand. */
  private static final class HandClock extends Clock {
    Instant now = NOW;

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final class Watermarks implements WatermarkOutput {
    final List<Long> emitted = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark watermark) {
      emitted.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      throw new AssertionError("the platform clock never goes idle");
    }

    @Override
    public void markActive() {}

    Instant last() {
      return Instant.ofEpochMilli(emitted.get(emitted.size() - 1));
    }
  }

  private final HandClock clock = new HandClock();
  private final ArrivalClock.Generator generator =
      new ArrivalClock.Generator(ArrivalClock.defaults().withClock(clock));
  private final Watermarks out = new Watermarks();

  private void arrives(Instant receivedAt) {
    AcceptedReading r =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            receivedAt.minusSeconds(1),
            Measurement.valid(Parameter.PM25, 30));
    generator.onEvent(r, r.receivedAt().toEpochMilli(), out);
  }

  @Test
  void quietMinutesStillPassWhenNoStationReports() {
    arrives(NOW);
    generator.onPeriodicEmit(out);
    clock.now = NOW.plus(Duration.ofMinutes(7)); // stations report every 5 min: a quiet spell
    generator.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(NOW.plus(Duration.ofMinutes(7)).minusSeconds(10));
  }

  @Test
  void aReadingStampedByAClockAheadCannotMoveTimePastThePlatformClock() {
    arrives(NOW.plus(Duration.ofHours(8)));
    generator.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(NOW.minusSeconds(10));
  }

  @Test
  void aBacklogReplayedAfterARestartKeepsItsOwnArrivalTimes() {
    clock.now = NOW.plusSeconds(5); // within the start-up grace: wait for the backlog
    generator.onPeriodicEmit(out);
    assertThat(out.emitted).isEmpty();
    for (int minute = 0; minute < 60; minute++) {
      arrives(NOW.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(minute)));
    }
    generator.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(NOW.minus(Duration.ofMinutes(1)).minusSeconds(10));
    clock.now = NOW.plusSeconds(8); // caught up, nothing more to read
    generator.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(NOW.minusSeconds(2));
  }

  @Test
  void withNothingToReplayTheClockIsFollowedAfterTheStartUpGrace() {
    clock.now = NOW.plusSeconds(31);
    generator.onPeriodicEmit(out);
    assertThat(out.last()).isEqualTo(NOW.plusSeconds(21));
  }
}
