package io.envmon.api.sta;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How much one request's Observations may cover ({@code envmon.sta}): without a lower bound on
 * phenomenonTime in $filter the last {@code defaultObservationRange}; a longer range than {@code
 * maxObservationRange} is 400; and Observations of more than {@code maxExpandedObservationStreams}
 * Datastreams expanded in one request ({@code $expand=Datastreams($expand=Observations)}) are 400.
 */
@ConfigurationProperties("envmon.sta")
public record StaLimits(
    @Bindable(defaultValue = "168h") Duration defaultObservationRange,
    @Bindable(defaultValue = "744h") Duration maxObservationRange,
    @Bindable(defaultValue = "50") int maxExpandedObservationStreams) {}
