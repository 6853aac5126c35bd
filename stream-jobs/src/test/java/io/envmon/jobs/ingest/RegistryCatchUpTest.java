package io.envmon.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.jobs.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class RegistryCatchUpTest {

  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
      };

  private static PointUpdate at(int partition, long offset) {
    return new PointUpdate(
        "wujiang-air-01", Points.air("wujiang", "wujiang-air-01"), null, partition, offset);
  }

  @Test
  void noWatermarkUntilEveryPartitionIsReadUpToItsLastRecordAtStart() {
    WatermarkGenerator<PointUpdate> generator =
        new RegistryCatchUp(Map.of(0, 4L, 1, 2L), 3_600_000).createWatermarkGenerator(null);
    generator.onEvent(at(0, 4), 0, output);
    generator.onEvent(at(1, 1), 0, output);
    generator.onPeriodicEmit(output);
    assertThat(emitted).isEmpty();

    generator.onEvent(at(1, 2), 0, output);

    assertThat(emitted).containsOnly(Long.MAX_VALUE);
  }

  @Test
  void anEmptyRegistryIsCaughtUpAtOnce() {
    new RegistryCatchUp(Map.of(), 3_600_000).createWatermarkGenerator(null).onPeriodicEmit(output);
    assertThat(emitted).containsExactly(Long.MAX_VALUE);
  }

  @Test
  void withoutItsEndTheRegistryIsWaitedForUntilTheTimeout() {
    WatermarkGenerator<PointUpdate> generator =
        RegistryCatchUp.timeoutOnly(java.time.Duration.ZERO).createWatermarkGenerator(null);
    generator.onEvent(at(0, 100), 0, output);
    assertThat(emitted).containsOnly(Long.MAX_VALUE);
  }
}
