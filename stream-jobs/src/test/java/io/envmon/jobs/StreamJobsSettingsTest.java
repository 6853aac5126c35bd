package io.envmon.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.aqi.AqiStandard;
import java.time.Duration;
import java.time.Instant;
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
    assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
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
                "ENVMON_ALERT_AQI_RAISE_ABOVE", "150"));

    assertThat(settings.kafkaBootstrap()).isEqualTo("kafka:9092");
    assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.exactlyOnce()).isFalse();
    assertThat(settings.cityIds()).isEqualTo(List.of("wujiang", "kunshan"));
    assertThat(settings.alertSettings().aqiRaiseAbove()).isEqualTo(150);
  }

  @Test
  void hj633of2026RatesHoursFromMarchFirst2026InShanghaiUnlessConfigured() {
    StreamJobsSettings defaults = StreamJobsSettings.from(new Properties(), Map.of());
    assertThat(defaults.alertSettings().aqiStandards().hj633of2026From())
        .isEqualTo(Instant.parse("2026-02-28T16:00:00Z"));

    Properties properties = new Properties();
    properties.setProperty("envmon.aqi.hj633-2026-from", "2026-07-01T00:00+08:00");
    StreamJobsSettings configured = StreamJobsSettings.from(properties, Map.of());
    assertThat(configured.alertSettings().aqiStandards().at(Instant.parse("2026-06-01T00:00:00Z")))
        .isEqualTo(AqiStandard.HJ_633_2012);

    StreamJobsSettings fromEnvironment =
        StreamJobsSettings.from(
            new Properties(), Map.of("ENVMON_AQI_HJ633_2026_FROM", "2026-01-01T00:00:00Z"));
    assertThat(fromEnvironment.alertSettings().aqiHj633of2026FromMillis())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void aSettingThatCannotBeReadStopsTheStartNamingItAndWhatItMustBe() {
    assertThatThrownBy(
            () ->
                StreamJobsSettings.from(
                    new Properties(), Map.of("ENVMON_ALERT_STUCK_REPEATS", "six")))
        .hasMessage(
            "envmon.alert.stuck-repeats (ENVMON_ALERT_STUCK_REPEATS) is 'six'; it must be a whole"
                + " number");
    Properties properties = new Properties();
    properties.setProperty("envmon.checkpoint.interval", "500ms");
    assertThatThrownBy(() -> StreamJobsSettings.from(properties, Map.of()))
        .hasMessageContaining("envmon.checkpoint.interval")
        .hasMessageContaining("ISO-8601 duration");
    assertThatThrownBy(
            () -> StreamJobsSettings.from(new Properties(), Map.of("ENVMON_EXACTLY_ONCE", "yes")))
        .hasMessageContaining("true or false");
  }

  @Test
  void theRetiredCitySettingsStopTheJobsAtStartSayingWhereTheValuesLiveNow() {
    Properties properties = new Properties();
    properties.setProperty("envmon.city-night", "wujiang=23:00-07:00");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StreamJobsSettings.from(properties, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("envmon.city-night is no longer read")
        .hasMessageContaining("PUT /api/v1/cities/{id}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                StreamJobsSettings.from(
                    new Properties(), Map.of("ENVMON_CITY_ZONES", "wujiang=Asia/Shanghai")))
        .hasMessageContaining("envmon.city-zones is no longer read");
  }
}
