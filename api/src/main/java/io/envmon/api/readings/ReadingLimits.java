package io.envmon.api.readings;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * The largest time ranges and row counts one request may ask for ({@code envmon.readings}); more
 * answers 400 naming the limit.
 */
@ConfigurationProperties("envmon.readings")
public record ReadingLimits(
    @Bindable(defaultValue = "744h") Duration maxRawRange,
    @Bindable(defaultValue = "8784h") Duration maxHourlyRange,
    @Bindable(defaultValue = "87840h") Duration maxDailyRange,
    @Bindable(defaultValue = "168h") Duration maxRatioHistoryRange,
    @Bindable(defaultValue = "10080") @Positive int maxRows) {}
