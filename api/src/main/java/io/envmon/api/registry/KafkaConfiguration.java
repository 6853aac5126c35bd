package io.envmon.api.registry;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/** Where Kafka is ({@code envmon.kafka.bootstrap-servers}). */
@ConfigurationProperties("envmon.kafka")
public record KafkaConfiguration(@NotBlank String bootstrapServers) {}
