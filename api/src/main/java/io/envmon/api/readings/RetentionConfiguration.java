package io.envmon.api.readings;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.time.Instant;

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
    @Bindable(defaultValue = "3h") Duration sweepWindow) {

  /**
   * An import keeps readings younger than the retention by less than this (at most half the
   * retention) as stored hours too: one produced to the readings topic could expire before the
   * stream jobs write it.
   */
  public static final Duration IMPORT_MARGIN = Duration.ofDays(1);

  /**
   * Readings observed before this instant may be kept only as stored hours (the raw ones expired,
   * or an import kept them as hours only); from it on every reading is among the raw ones.
   */
  public Instant hoursOnlyBefore(Instant now) {
    Duration half = raw.dividedBy(2);
    return now.minus(raw).plus(IMPORT_MARGIN.compareTo(half) < 0 ? IMPORT_MARGIN : half);
  }
}
