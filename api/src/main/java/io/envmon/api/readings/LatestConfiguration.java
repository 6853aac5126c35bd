package io.envmon.api.readings;

import io.envmon.domain.wire.KafkaTopics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * The latest view ({@code envmon.latest}): whether "latest" is answered from the readings the API
 * keeps in memory from Kafka (default) or always from InfluxDB, and the topic it follows.
 */
@ConfigurationProperties("envmon.latest")
public record LatestConfiguration(
    @Bindable(defaultValue = "true") boolean viewEnabled,
    @Bindable(defaultValue = KafkaTopics.READINGS) @NotBlank String topic) {}
