package io.envmon.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrProfileTest {

  @TempDir Path directory;

  @Test
  void theRecordingsOfTheProfiledStepAreSummedUpIntoProfileTxt() throws Exception {
    Path jfr = Files.createDirectories(directory.resolve("jfr"));
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      spin(Duration.ofSeconds(1));
      recording.stop();
      recording.dump(jfr.resolve("gateway.jfr"));
    }

    JfrProfile.profileRecordings(jfr);

    String profile = Files.readString(jfr.resolve("profile.txt"));
    assertThat(profile)
        .startsWith("=== " + jfr.resolve("gateway.jfr"))
        .contains("  threads:", "  top frames (self):", "  innermost envmon frame (inclusive):")
        .contains("io.envmon.e2e.bench.JfrProfileTest.spin");
  }

  @Test
  void withoutRecordingsThereIsNoProfile() throws Exception {
    JfrProfile.profileRecordings(directory.resolve("jfr"));
    Files.createDirectories(directory.resolve("jfr"));
    JfrProfile.profileRecordings(directory.resolve("jfr"));

    assertThat(directory.resolve("jfr/profile.txt")).doesNotExist();
  }

  private static long spin(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long sum = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        sum += (long) i * i % 7;
      }
    }
    return sum;
  }
}
