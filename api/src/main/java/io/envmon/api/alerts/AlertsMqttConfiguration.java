package io.envmon.api.alerts;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Where alerts are published on MQTT ({@code envmon.alerts.mqtt}): the broker URL ({@code
 * tcp://host:1883}, {@code ssl://...}; empty turns publishing off), optional user name and
 * password, and how often new alert events are looked for.
 */
@ConfigurationProperties("envmon.alerts.mqtt")
public record AlertsMqttConfiguration(
    @Nullable String brokerUrl,
    @Nullable String username,
    @Nullable String password,
    @Bindable(defaultValue = "envmon-api-alerts") String clientId,
    @Bindable(defaultValue = "250ms") Duration pollInterval) {

  public boolean enabled() {
    return brokerUrl != null && !brokerUrl.isBlank();
  }
}
