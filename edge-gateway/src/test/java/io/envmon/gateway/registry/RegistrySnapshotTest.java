package io.envmon.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.gateway.TestPoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrySnapshotTest {

  @TempDir Path directory;

  @Test
  void theSavedRegistryIsLoadedBackPointForPoint() throws Exception {
    RegistrySnapshot snapshot = new RegistrySnapshot(directory.resolve("registry.jsonl"));
    var points =
        List.of(
            TestPoints.air("wujiang-air-01", "wujiang"),
            TestPoints.water("wujiang-water-01", "wujiang"),
            TestPoints.noise("wujiang-noise-01", "wujiang"));
    snapshot.save(points);
    assertThat(snapshot.load()).containsExactlyInAnyOrderElementsOf(points);
  }

  @Test
  void noSnapshotMeansAnEmptyRegistry() {
    assertThat(new RegistrySnapshot(directory.resolve("none.jsonl")).load()).isEmpty();
  }

  @Test
  void aDamagedLineIsSkippedAndTheOthersKept() throws Exception {
    Path file = directory.resolve("registry.jsonl");
    RegistrySnapshot snapshot = new RegistrySnapshot(file);
    snapshot.save(List.of(TestPoints.air("wujiang-air-01", "wujiang")));
    Files.writeString(file, Files.readString(file) + "{\"id\":\n");
    assertThat(snapshot.load()).containsExactly(TestPoints.air("wujiang-air-01", "wujiang"));
  }
}
