package io.envmon.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void findsThisJvmsJitCompilerThreads() {
    Map<Long, Long> threads = ProcessCpu.jitThreadTicks(ProcessHandle.current().pid());
    assertThat(threads).isNotEmpty(); // HotSpot keeps at least one C1 and one C2 thread
    assertThat(threads.values()).allMatch(ticks -> ticks >= 0);
  }

  @Test
  void jitTimeIsComparedThreadByThreadAsCompilerThreadsComeAndGo() {
    Map<Long, Long> before = Map.of(11L, 100L, 12L, 50L, 13L, 70L);
    // 11 used 30 ticks, 12 none, 13 ended (its last interval is lost), 14 started and used 5
    Map<Long, Long> after = Map.of(11L, 130L, 12L, 50L, 14L, 5L);
    assertThat(ProcessCpu.jitMicrosBetween(before, after))
        .isEqualTo(35 * 1_000_000 / ProcessCpu.TICKS_PER_SECOND);
  }
}
