package io.envmon.jobs.ratio;

import io.envmon.domain.ratio.FreshnessWindows;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * The cluster the ratios are computed for and the freshness windows (ARCHITECTURE.md "Sharing
 * ratio"). An empty {@code cityIds} means: the cities that own points in the registry.
 */
public record RatioSettings(
    String clusterId,
    List<String> cityIds,
    long airFreshnessMillis,
    long waterFreshnessMillis,
    long noiseFreshnessMillis)
    implements Serializable {

  public static RatioSettings defaults(String clusterId, List<String> cityIds) {
    FreshnessWindows windows = FreshnessWindows.DEFAULTS;
    return new RatioSettings(
        clusterId,
        List.copyOf(cityIds),
        windows.air().toMillis(),
        windows.water().toMillis(),
        windows.noise().toMillis());
  }

  public FreshnessWindows windows() {
    return new FreshnessWindows(
        Duration.ofMillis(airFreshnessMillis),
        Duration.ofMillis(waterFreshnessMillis),
        Duration.ofMillis(noiseFreshnessMillis));
  }
}
