package io.envmon.api.registry;

import io.envmon.domain.wire.KafkaTopics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * Where the registry's data file is and where its changes go ({@code envmon.registry}, {@code
 * envmon.kafka}).
 */
@ConfigurationProperties("envmon.registry")
public record RegistryConfiguration(
    @Nullable String dataFile,
    @Bindable(defaultValue = KafkaTopics.POINTS) @NotBlank String pointsTopic,
    @Bindable(defaultValue = "500ms") Duration outboxPollInterval) {}
