package io.envmon.testsupport.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCityTest {

  @TempDir Path directory;

  @Test
  void theDemoClustersCitiesKeepTheirGatewayPorts() {
    assertThat(DemoCity.read(StatusReportTest.DEMO_DATA, Path.of("../demo")))
        .extracting(DemoCity::line)
        .containsExactly(
            "qingpu 22121 25683 25684 28081",
            "wujiang 22122 25685 25686 28082",
            "jiashan 22123 25687 25688 28083");
  }

  @Test
  void aCityWithoutItsDeviceFileIsRefused() throws IOException {
    Path data = write("{\"cities\": [{\"id\": \"qingpu\"}, {\"id\": \"minhang\"}]}");
    Files.writeString(directory.resolve("devices-qingpu.properties"), "");

    assertThatThrownBy(() -> DemoCity.read(data, directory))
        .hasMessageContaining("the demo city minhang")
        .hasMessageContaining("devices-minhang.properties");
  }

  @Test
  void aCityIdThatCannotNameAnEnvironmentVariableIsRefused() throws IOException {
    Path data = write("{\"cities\": [{\"id\": \"san-xia\"}]}");

    assertThatThrownBy(() -> DemoCity.read(data, directory))
        .hasMessageContaining("'san-xia'")
        .hasMessageContaining("lower-case letters and digits");
  }

  @Test
  void noCitiesIsRefused() throws IOException {
    Path data = write("{\"cities\": []}");

    assertThatThrownBy(() -> DemoCity.read(data, directory))
        .hasMessageContaining("must list 1 to 5 cities, not 0");
  }

  private Path write(String json) throws IOException {
    return Files.writeString(directory.resolve("cluster.json"), json);
  }
}
