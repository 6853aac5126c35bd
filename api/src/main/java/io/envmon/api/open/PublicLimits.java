package io.envmon.api.open;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/** How often one address may call the public API ({@code envmon.public}). */
@ConfigurationProperties("envmon.public")
public record PublicLimits(@Bindable(defaultValue = "60") @Positive int requestsPerMinute) {}
