package io.envmon.jobs.ratio;

import io.envmon.domain.ratio.FreshnessWindows;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * The cluster the ratios are computed for and the freshness windows (docs/standards.md §2 "Sharing
 * ratio"). An empty {@code cityIds} means: the cities that own points in the registry.
 *
 * @param settleMillis how long after minute T (platform clock) readings observed before T are
 *     awaited before T's ratio is first published
 * @param latenessHorizonMillis how far back a late reading still corrects the published history
 */
public record RatioSettings(
    String clusterId,
    List<String> cityIds,
    long airFreshnessMillis,
    long waterFreshnessMillis,
    long noiseFreshnessMillis,
    long settleMillis,
    long latenessHorizonMillis)
    implements Serializable {

  public static RatioSettings defaults(String clusterId, List<String> cityIds) {
    FreshnessWindows windows = FreshnessWindows.DEFAULTS;
    return new RatioSettings(
        clusterId,
        List.copyOf(cityIds),
        windows.air().toMillis(),
        windows.water().toMillis(),
        windows.noise().toMillis(),
        Duration.ofSeconds(30).toMillis(),
        Duration.ofDays(7).toMillis());
  }

  /** The same with other freshness windows. */
  public RatioSettings withWindows(FreshnessWindows other) {
    return new RatioSettings(
        clusterId,
        cityIds,
        other.air().toMillis(),
        other.water().toMillis(),
        other.noise().toMillis(),
        settleMillis,
        latenessHorizonMillis);
  }

  public FreshnessWindows windows() {
    return new FreshnessWindows(
        Duration.ofMillis(airFreshnessMillis),
        Duration.ofMillis(waterFreshnessMillis),
        Duration.ofMillis(noiseFreshnessMillis));
  }

  /** The same with another settle time (how long a minute's readings are awaited). */
  public RatioSettings withSettle(Duration settle) {
    return new RatioSettings(
        clusterId,
        cityIds,
        airFreshnessMillis,
        waterFreshnessMillis,
        noiseFreshnessMillis,
        settle.toMillis(),
        latenessHorizonMillis);
  }
}
