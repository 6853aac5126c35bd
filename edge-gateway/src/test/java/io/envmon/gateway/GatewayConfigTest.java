package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.gateway.spool.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

  @TempDir Path directory;

  @Test
  void aFileWithCityGatewayAndKafkaGetsDefaultsForTheRest() throws Exception {
    Path file = directory.resolve("gateway.properties");
    Files.writeString(
        file, "city.id=wujiang\ngateway.id=wujiang-gw-1\nkafka.bootstrap=127.0.0.1:29092\n");
    GatewayConfig config = GatewayConfig.load(file, Map.of());
    assertThat(config.cityId()).isEqualTo("wujiang");
    assertThat(config.readingsTopic()).isEqualTo("envmon.readings.v1");
    assertThat(config.pointsTopic()).isEqualTo("envmon.points.v1");
    assertThat(config.fsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_APPEND);
    assertThat(config.spoolCapBytes()).isEqualTo(1L << 30);
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.mqttSubscriptionGroup()).isEqualTo("envmon-wujiang");
    assertThat(config.maxAge()).isEqualTo(java.time.Duration.ofDays(7));
  }

  @Test
  void theLatenessHorizonIsAnIsoDurationAndMustBePositive() {
    Properties properties = new Properties();
    properties.setProperty("city.id", "wujiang");
    properties.setProperty("gateway.id", "gw-1");
    properties.setProperty("kafka.bootstrap", "a:1");
    properties.setProperty("validation.max.age", "PT36H");
    assertThat(GatewayConfig.fromProperties(properties, Map.of()).maxAge())
        .isEqualTo(java.time.Duration.ofHours(36));
    assertThat(
            GatewayConfig.fromProperties(
                    properties, Map.of("ENVMON_GATEWAY_VALIDATION_MAX_AGE", "P3D"))
                .maxAge())
        .isEqualTo(java.time.Duration.ofDays(3));
    properties.setProperty("validation.max.age", "7 days");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessage(
            "invalid gateway configuration: validation.max.age '7 days' is not an ISO-8601"
                + " duration such as P7D or PT36H");
    properties.setProperty("validation.max.age", "PT0S");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessageContaining("validation.max.age PT0S must be positive");
  }

  @Test
  void aSecretSharedGroupReplacesTheDefaultAndAWildcardInItIsRefused() {
    Properties properties = new Properties();
    properties.setProperty("city.id", "wujiang");
    properties.setProperty("gateway.id", "gw-1");
    properties.setProperty("kafka.bootstrap", "a:1");
    properties.setProperty("mqtt.shared.group", "envmon-wujiang-Zk3_q9");
    assertThat(GatewayConfig.fromProperties(properties, Map.of()).mqttSubscriptionGroup())
        .isEqualTo("envmon-wujiang-Zk3_q9");
    properties.setProperty("mqtt.shared.group", "a/+");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessageContaining("mqtt.shared.group must be 1 to 128 of [A-Za-z0-9_-]");
  }

  @Test
  void anEnvironmentVariableOverridesTheFile() {
    Properties properties = new Properties();
    properties.setProperty("city.id", "wujiang");
    properties.setProperty("gateway.id", "gw-1");
    properties.setProperty("kafka.bootstrap", "a:1");
    properties.setProperty("spool.cap.bytes", "100000000");
    GatewayConfig config =
        GatewayConfig.fromProperties(
            properties, Map.of("ENVMON_GATEWAY_SPOOL_CAP_BYTES", "200000000"));
    assertThat(config.spoolCapBytes()).isEqualTo(200_000_000L);
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    Properties properties = new Properties();
    properties.setProperty("city.id", "Wu Jiang");
    properties.setProperty("mqtt.url", "http://x");
    properties.setProperty("hj212.port", "70000");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessageContaining("city.id 'Wu Jiang' is not a slug")
        .hasMessageContaining("gateway.id 'null' is not a slug")
        .hasMessageContaining("mqtt.url 'http://x' is not tcp://host:port")
        .hasMessageContaining("kafka.bootstrap is required")
        .hasMessageContaining("hj212.port 70000 is not -1 (off), 0 (any) or a port");
  }

  @Test
  void aNonNumericSizeIsNamed() {
    Properties properties = new Properties();
    properties.setProperty("spool.cap.bytes", "lots");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessage("invalid gateway configuration: spool.cap.bytes 'lots' is not a whole number");
  }

  @Test
  void thePerDeviceLimitIsOnByDefaultAndItsSettingsAreChecked() {
    Properties properties = new Properties();
    properties.setProperty("city.id", "wujiang");
    properties.setProperty("gateway.id", "gw-1");
    properties.setProperty("kafka.bootstrap", "a:1");
    var limits = GatewayConfig.fromProperties(properties, Map.of()).deviceLimits();
    assertThat(limits.enabled()).isTrue();
    assertThat(limits.rateFactor()).isEqualTo(10);
    assertThat(limits.burstReadings()).isEqualTo(60);
    assertThat(limits.defaultInterval()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(limits.backfillHorizon()).isEqualTo(java.time.Duration.ofDays(7));
    properties.setProperty("limit.rate.factor", "0");
    assertThat(GatewayConfig.fromProperties(properties, Map.of()).deviceLimits().enabled())
        .isFalse();
    properties.setProperty("limit.rate.factor", "-1");
    properties.setProperty("limit.burst.readings", "0");
    properties.setProperty("limit.default.interval", "PT0S");
    assertThatThrownBy(() -> GatewayConfig.fromProperties(properties, Map.of()))
        .hasMessageContaining("limit.rate.factor -1 must be 0 (no limit) or more")
        .hasMessageContaining("limit.burst.readings 0 must be at least 1")
        .hasMessageContaining("limit.default.interval PT0S must be positive");
  }
}
