package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamJobsSettingsTest {

  @Test
  void withoutConfigurationTheJobsUseTheLocalInfrastructureAndExactlyOnceCheckpointsUnderVar() {
    StreamJobsSettings settings = StreamJobsSettings.from(new Properties(), Map.of());

    assertThat(settings.kafkaBootstrap()).isEqualTo("127.0.0.1:29092");
    assertThat(settings.influxUrl()).isEqualTo("http://127.0.0.1:28086");
    assertThat(settings.influxDatabase()).isEqualTo("envmon");
    assertThat(settings.checkpointDir()).startsWith("file:").endsWith("var/flink-checkpoints");
    assertThat(settings.exactlyOnce()).isTrue();
    assertThat(settings.alertSettings().zoneOf("wujiang")).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(settings.alertSettings().aqiRaiseAbove()).isEqualTo(200);
  }

  @Test
  void environmentVariablesConfigureAndSystemPropertiesOverrideThem() {
    Properties properties = new Properties();
    properties.setProperty("envmon.kafka.bootstrap", "kafka:9092");
    StreamJobsSettings settings =
        StreamJobsSettings.from(
            properties,
            Map.of(
                "ENVMON_KAFKA_BOOTSTRAP", "ignored:1",
                "ENVMON_CHECKPOINT_INTERVAL", "PT5S",
                "ENVMON_EXACTLY_ONCE", "false",
                "ENVMON_CITIES", "wujiang, kunshan",
                "ENVMON_CITY_ZONES", "kunshan=Asia/Urumqi",
                "ENVMON_ALERT_AQI_RAISE_ABOVE", "150"));

    assertThat(settings.kafkaBootstrap()).isEqualTo("kafka:9092");
    assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.exactlyOnce()).isFalse();
    assertThat(settings.cityIds()).isEqualTo(List.of("wujiang", "kunshan"));
    assertThat(settings.alertSettings().zoneOf("kunshan")).isEqualTo(ZoneId.of("Asia/Urumqi"));
    assertThat(settings.alertSettings().aqiRaiseAbove()).isEqualTo(150);
  }
}
