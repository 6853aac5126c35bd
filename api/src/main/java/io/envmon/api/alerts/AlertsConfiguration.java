package io.envmon.api.alerts;

import io.envmon.domain.wire.KafkaTopics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * Where the alerts come from and how they are streamed ({@code envmon.alerts}): the Kafka topic,
 * the API's own consumer group, how often each SSE subscriber looks for new events and how often an
 * idle stream gets a heartbeat comment (so proxies keep it open). The topic, group and {@code
 * consumer-enabled} are read by {@link AlertsConsumer}'s annotations, with the same defaults.
 */
@ConfigurationProperties("envmon.alerts")
public record AlertsConfiguration(
    @Bindable(defaultValue = KafkaTopics.ALERTS) @NotBlank String topic,
    @Bindable(defaultValue = "envmon-api-alerts") @NotBlank String consumerGroup,
    @Bindable(defaultValue = "true") boolean consumerEnabled,
    @Bindable(defaultValue = "250ms") Duration streamPollInterval,
    @Bindable(defaultValue = "15s") Duration streamHeartbeatInterval) {}
