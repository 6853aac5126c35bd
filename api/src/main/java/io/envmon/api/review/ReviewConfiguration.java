package io.envmon.api.review;

import io.envmon.domain.wire.KafkaTopics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Where the review marks go for the stream jobs ({@code envmon.review}): the topic each mark is
 * written to through the outbox, in the transaction that stores it.
 */
@ConfigurationProperties("envmon.review")
public record ReviewConfiguration(
    @Bindable(defaultValue = KafkaTopics.REVIEW_MARKS) @NotBlank String marksTopic) {}
