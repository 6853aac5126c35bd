package io.envmon.api.readings;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How long raw readings are kept and when hourly and daily series come from the stored hourly
 * aggregates ({@code envmon.retention}; docs/infrastructure.md, "Retention").
 *
 * @param raw the raw readings' retention policy duration (52 weeks; InfluxDB's minimum is 1 h)
 * @param aggregatesBeyond a 1h or 1d series longer than this is served from the stored aggregates
 *     (one shorter and within the raw retention is computed from the raw readings)
 * @param sweepInterval how often the rollup computes the recent hours and the pending ones
 * @param sweepWindow how far back each sweep computes every hour again (late readings younger than
 *     the stream jobs' one hour are caught by this; older ones mark their hour pending)
 */
@ConfigurationProperties("envmon.retention")
public record RetentionConfiguration(
    @Bindable(defaultValue = "8736h") Duration raw,
    @Bindable(defaultValue = "744h") Duration aggregatesBeyond,
    @Bindable(defaultValue = "1m") Duration sweepInterval,
    @Bindable(defaultValue = "3h") Duration sweepWindow) {}
