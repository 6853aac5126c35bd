package io.envmon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfrastructureTest {

  @TempDir Path directory;

  @Test
  void readsTheEndpointsThatEnvmonInfraUpWrites() throws IOException {
    Path file =
        Files.writeString(
            directory.resolve("endpoints.properties"),
            """
            # envmon infrastructure endpoints
            mqtt.url=tcp://127.0.0.1:21883
            kafka.bootstrap=127.0.0.1:29092
            influxdb.url=http://127.0.0.1:28086
            postgres.jdbcUrl=jdbc:postgresql://127.0.0.1:25432/envmon
            postgres.user=envmon
            postgres.password=envmon
            """);

    assertThat(Infrastructure.fromEndpointsFile(file))
        .isEqualTo(
            new Infrastructure(
                "tcp://127.0.0.1:21883",
                "127.0.0.1:29092",
                "http://127.0.0.1:28086",
                "jdbc:postgresql://127.0.0.1:25432/envmon",
                "envmon",
                "envmon"));
  }

  @Test
  void namesTheMissingEndpoint() throws IOException {
    Path file =
        Files.writeString(directory.resolve("endpoints.properties"), "mqtt.url=tcp://x:1\n");

    assertThatThrownBy(() -> Infrastructure.fromEndpointsFile(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kafka.bootstrap")
        .hasMessageContaining(file.toString());
  }

  @Test
  void findsTheEnvmonScriptAboveTheModuleDirectory() {
    Path moduleDirectory = Path.of(System.getProperty("user.dir"));

    assertThat(OwnInfrastructure.envmonScript(moduleDirectory))
        .isEqualTo(moduleDirectory.toAbsolutePath().getParent().resolve("envmon"));
  }
}
