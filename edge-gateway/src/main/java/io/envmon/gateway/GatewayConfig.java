package io.envmon.gateway;

import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.wire.KafkaTopics;
import io.envmon.gateway.limits.DeviceRateLimiter;
import io.envmon.gateway.spool.FsyncPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The gateway's configuration (docs/gateway.md "Configuration"): a properties file, each key
 * overridable by an environment variable ({@code spool.cap.bytes} → {@code
 * ENVMON_GATEWAY_SPOOL_CAP_BYTES}). Ports of 0 pick a free port; -1 disables the listener.
 */
public record GatewayConfig(
    String cityId,
    String gatewayId,
    String mqttUrl,
    String mqttUsername,
    String mqttPassword,
    long mqttSessionExpirySeconds,
    String mqttSharedGroup,
    String kafkaBootstrap,
    String readingsTopic,
    String pointsTopic,
    String deadLetterTopic,
    Path spoolDirectory,
    long spoolCapBytes,
    long spoolSegmentBytes,
    FsyncPolicy fsyncPolicy,
    String bindAddress,
    int hj212Port,
    int hj212MaxConnections,
    Duration hj212ReadTimeout,
    int coapPort,
    int coapsPort,
    int healthPort,
    Path credentialsFile,
    Duration credentialsReloadInterval,
    Duration maxFutureSkew,
    Duration maxAge,
    int limitRateFactor,
    int limitBurstReadings,
    Duration limitDefaultInterval) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern SHARED_GROUP = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /**
   * The MQTT 5 shared-subscription group of this city's gateways: {@code mqtt.shared.group}, or
   * {@code envmon-<city>} when empty. The broker's dynamic-security plugin lets only the city's
   * gateway login subscribe to the city's stations; a secret group name is defence in depth (a
   * login that may subscribe still has to know it to take a share; docs/gateway.md, "Mosquitto
   * logins and ACL").
   */
  public String mqttSubscriptionGroup() {
    return mqttSharedGroup == null || mqttSharedGroup.isEmpty()
        ? "envmon-" + cityId
        : mqttSharedGroup;
  }

  public GatewayConfig {
    List<String> problems = new ArrayList<>();
    if (cityId == null || !ID.matcher(cityId).matches()) {
      problems.add("city.id '" + cityId + "' is not a slug [a-z0-9-]");
    }
    if (gatewayId == null || !ID.matcher(gatewayId).matches()) {
      problems.add("gateway.id '" + gatewayId + "' is not a slug [a-z0-9-]");
    }
    if (mqttSharedGroup != null
        && !mqttSharedGroup.isEmpty()
        && !SHARED_GROUP.matcher(mqttSharedGroup).matches()) {
      problems.add("mqtt.shared.group must be 1 to 128 of [A-Za-z0-9_-] (no '/', '+', '#')");
    }
    if (mqttUrl != null
        && !mqttUrl.isBlank()
        && !(mqttUrl.startsWith("tcp://") || mqttUrl.startsWith("ssl://"))) {
      problems.add("mqtt.url '" + mqttUrl + "' is not tcp://host:port or ssl://host:port");
    }
    if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
      problems.add("kafka.bootstrap is required");
    }
    if (spoolDirectory == null) {
      problems.add("spool.dir is required");
    }
    if (spoolCapBytes < spoolSegmentBytes || spoolSegmentBytes < 1024) {
      problems.add(
          "spool.cap.bytes "
              + spoolCapBytes
              + " must be at least spool.segment.bytes "
              + spoolSegmentBytes
              + ", which must be at least 1024");
    }
    for (var port :
        Map.of(
                "hj212.port",
                hj212Port,
                "coap.port",
                coapPort,
                "coaps.port",
                coapsPort,
                "health.port",
                healthPort)
            .entrySet()) {
      if (port.getValue() < -1 || port.getValue() > 65535) {
        problems.add(port.getKey() + " " + port.getValue() + " is not -1 (off), 0 (any) or a port");
      }
    }
    if (hj212MaxConnections < 1) {
      problems.add("hj212.max.connections must be at least 1");
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      problems.add("validation.max.age " + maxAge + " must be positive");
    }
    if (limitRateFactor < 0) {
      problems.add("limit.rate.factor " + limitRateFactor + " must be 0 (no limit) or more");
    }
    if (limitBurstReadings < 1) {
      problems.add("limit.burst.readings " + limitBurstReadings + " must be at least 1");
    }
    if (limitDefaultInterval != null
        && (limitDefaultInterval.isNegative() || limitDefaultInterval.isZero())) {
      problems.add("limit.default.interval " + limitDefaultInterval + " must be positive");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid gateway configuration: " + String.join("; ", problems));
    }
    Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(hj212ReadTimeout, "hj212ReadTimeout");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(credentialsReloadInterval, "credentialsReloadInterval");
    Objects.requireNonNull(limitDefaultInterval, "limitDefaultInterval");
  }

  /** The per-device rate limit's settings ({@code limit.*}; the back-fill horizon is max age). */
  public DeviceRateLimiter.Settings deviceLimits() {
    return new DeviceRateLimiter.Settings(
        limitRateFactor, limitBurstReadings, limitDefaultInterval, maxAge);
  }

  /** Reads {@code file} (may be null: environment only), then the environment overrides. */
  public static GatewayConfig load(Path file, Map<String, String> environment) {
    Properties properties = new Properties();
    if (file != null) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the gateway configuration " + file, e);
      }
    }
    return fromProperties(properties, environment);
  }

  static GatewayConfig fromProperties(Properties properties, Map<String, String> environment) {
    Source source = new Source(properties, environment);
    String credentials = source.get("credentials.file", "");
    return new GatewayConfig(
        source.get("city.id", null),
        source.get("gateway.id", null),
        source.get("mqtt.url", ""),
        source.get("mqtt.username", ""),
        source.get("mqtt.password", ""),
        source.getLong("mqtt.session.expiry.seconds", 86_400),
        source.get("mqtt.shared.group", ""),
        source.get("kafka.bootstrap", null),
        source.get("kafka.topic.readings", KafkaTopics.READINGS),
        source.get("kafka.topic.points", KafkaTopics.POINTS),
        source.get("kafka.topic.deadletter", KafkaTopics.DEADLETTER),
        Path.of(source.get("spool.dir", "var/gateway-spool")),
        source.getLong("spool.cap.bytes", 1L << 30),
        source.getLong("spool.segment.bytes", 8L << 20),
        FsyncPolicy.valueOf(source.get("spool.fsync", FsyncPolicy.EVERY_APPEND.name())),
        source.get("bind.address", "127.0.0.1"),
        (int) source.getLong("hj212.port", 0),
        (int) source.getLong("hj212.max.connections", 256),
        Duration.ofSeconds(source.getLong("hj212.read.timeout.seconds", 120)),
        (int) source.getLong("coap.port", -1),
        (int) source.getLong("coaps.port", -1),
        (int) source.getLong("health.port", 0),
        credentials.isBlank() ? null : Path.of(credentials),
        Duration.ofSeconds(source.getLong("credentials.reload.seconds", 5)),
        Duration.ofSeconds(source.getLong("validation.max.future.seconds", 300)),
        source.getDuration("validation.max.age", ReadingValidator.DEFAULT_MAX_AGE),
        (int) source.getLong("limit.rate.factor", DeviceRateLimiter.Settings.DEFAULT_RATE_FACTOR),
        (int)
            source.getLong(
                "limit.burst.readings", DeviceRateLimiter.Settings.DEFAULT_BURST_READINGS),
        source.getDuration("limit.default.interval", DeviceRateLimiter.Settings.DEFAULT_INTERVAL));
  }

  /** The environment variable overriding {@code key}: {@code ENVMON_GATEWAY_} + key in capitals. */
  public static String environmentVariable(String key) {
    return "ENVMON_GATEWAY_" + key.toUpperCase().replace('.', '_');
  }

  private record Source(Properties properties, Map<String, String> environment) {
    String get(String key, String fallback) {
      String value = environment.get(environmentVariable(key));
      if (value == null) {
        value = properties.getProperty(key);
      }
      return value == null ? fallback : value.trim();
    }

    /** An ISO-8601 duration ({@code P7D}, {@code PT36H}). */
    Duration getDuration(String key, Duration fallback) {
      String value = get(key, null);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        return Duration.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "invalid gateway configuration: "
                + key
                + " '"
                + value
                + "' is not an ISO-8601 duration such as P7D or PT36H");
      }
    }

    long getLong(String key, long fallback) {
      String value = get(key, null);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "invalid gateway configuration: " + key + " '" + value + "' is not a whole number");
      }
    }
  }
}
