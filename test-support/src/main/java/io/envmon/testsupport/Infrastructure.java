package io.envmon.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the real servers of an integration test listen: the contents of the endpoints file that
 * {@code ./envmon infra up} writes.
 */
public record Infrastructure(
    String mqttUrl,
    String kafkaBootstrap,
    String influxUrl,
    String postgresJdbcUrl,
    String postgresUser,
    String postgresPassword) {

  /** Reads {@code $ENVMON_VAR/endpoints.properties}. */
  public static Infrastructure fromEndpointsFile(Path endpointsFile) {
    Properties endpoints = new Properties();
    try (Reader reader = Files.newBufferedReader(endpointsFile, StandardCharsets.UTF_8)) {
      endpoints.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the endpoints file " + endpointsFile, e);
    }
    return new Infrastructure(
        required(endpoints, "mqtt.url", endpointsFile),
        required(endpoints, "kafka.bootstrap", endpointsFile),
        required(endpoints, "influxdb.url", endpointsFile),
        required(endpoints, "postgres.jdbcUrl", endpointsFile),
        required(endpoints, "postgres.user", endpointsFile),
        required(endpoints, "postgres.password", endpointsFile));
  }

  private static String required(Properties endpoints, String key, Path endpointsFile) {
    String value = endpoints.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "the endpoints file " + endpointsFile + " has no " + key + " (is every server up?)");
    }
    return value.trim();
  }
}
