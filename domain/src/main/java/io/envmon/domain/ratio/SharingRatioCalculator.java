package io.envmon.domain.ratio;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Indicator L3P1-A1 (区域环境质量监测信息共享) with the envmon rules of docs/standards.md §2 "Sharing ratio":
 *
 * <ul>
 *   <li>denominator: the city's points of the kind that are PLANNED or ACTIVE (WATER: important
 *       sections only);
 *   <li>numerator: those that are ACTIVE, shared with the whole CLUSTER, and whose last valid
 *       reading lies in the freshness window before T: {@code T − window ≤ lastValid ≤ T};
 *   <li>conditional: the same but shared with named CITIES only — reported, not counted;
 *   <li>cluster: sums of numerators over sums of denominators.
 * </ul>
 */
public final class SharingRatioCalculator {

  private final FreshnessWindows windows;

  public SharingRatioCalculator(FreshnessWindows windows) {
    this.windows = Objects.requireNonNull(windows, "windows");
  }

  /**
   * @param clusterId the id the cluster's row is reported under
   * @param cityIds the cluster's cities, in the order the result lists them
   * @param points every point of the cluster's registry as of {@code at}
   * @param lastValidReading each point's last valid reading at or before {@code at}; a point
   *     without an entry has delivered none
   */
  public ClusterRatios compute(
      String clusterId,
      List<String> cityIds,
      Collection<MonitoringPoint> points,
      Map<String, Instant> lastValidReading,
      Instant at) {
    List<CityRatios> cities =
        cityIds.stream()
            .map(
                cityId ->
                    CityRatios.of(
                        cityId,
                        at,
                        ratio(cityId, PointKind.AIR, points, lastValidReading, at),
                        ratio(cityId, PointKind.WATER, points, lastValidReading, at),
                        ratio(cityId, PointKind.NOISE, points, lastValidReading, at)))
            .toList();
    CityRatios cluster =
        CityRatios.of(
            clusterId,
            at,
            sum(clusterId, PointKind.AIR, cities.stream().map(CityRatios::air).toList()),
            sum(clusterId, PointKind.WATER, cities.stream().map(CityRatios::water).toList()),
            sum(clusterId, PointKind.NOISE, cities.stream().map(CityRatios::noise).toList()));
    return new ClusterRatios(cities, cluster);
  }

  /** What one point contributes to its kind's b-value of its city as of {@code at}. */
  public enum Contribution {
    /** In neither part: DECOMMISSIONED, or a WATER section that is not important. */
    NONE,
    /** In the denominator only: not ACTIVE, PRIVATE, or no valid reading in the window. */
    DENOMINATOR,
    /** In the denominator and the conditional numerator (CITIES sharing), not in the ratio. */
    CONDITIONAL,
    /** In the denominator and the numerator. */
    NUMERATOR
  }

  /**
   * The one rule of the indicator for one point: {@code lastValid} is its last valid reading at or
   * before {@code at} (null: none).
   */
  public Contribution contribution(MonitoringPoint point, Instant lastValid, Instant at) {
    if (!point.countsInSharingRatio() || !point.isPlannedOrActive()) {
      return Contribution.NONE;
    }
    boolean delivering =
        point.status() == PointStatus.ACTIVE
            && lastValid != null
            && !lastValid.isBefore(at.minus(windows.of(point.kind())))
            && !lastValid.isAfter(at);
    if (delivering && point.sharing() == SharingScope.CLUSTER) {
      return Contribution.NUMERATOR;
    }
    if (delivering && point.sharing() == SharingScope.CITIES) {
      return Contribution.CONDITIONAL;
    }
    return Contribution.DENOMINATOR;
  }

  public FreshnessWindows windows() {
    return windows;
  }

  private Ratio ratio(
      String cityId,
      PointKind kind,
      Collection<MonitoringPoint> points,
      Map<String, Instant> lastValidReading,
      Instant at) {
    int denominator = 0;
    int numerator = 0;
    int conditional = 0;
    for (MonitoringPoint point : points) {
      if (!point.cityId().equals(cityId) || point.kind() != kind) {
        continue;
      }
      switch (contribution(point, lastValidReading.get(point.id()), at)) {
        case NONE -> {}
        case DENOMINATOR -> denominator++;
        case CONDITIONAL -> {
          denominator++;
          conditional++;
        }
        case NUMERATOR -> {
          denominator++;
          numerator++;
        }
      }
    }
    return Ratio.of(numerator, denominator, conditional, emptyReason(kind, cityId));
  }

  private static Ratio sum(String clusterId, PointKind kind, List<Ratio> ratios) {
    return Ratio.of(
        ratios.stream().mapToInt(Ratio::numerator).sum(),
        ratios.stream().mapToInt(Ratio::denominator).sum(),
        ratios.stream().mapToInt(Ratio::conditionalNumerator).sum(),
        emptyReason(kind, clusterId));
  }

  private static String emptyReason(PointKind kind, String where) {
    return switch (kind) {
      case AIR -> "no planned or active AIR points in " + where;
      case WATER -> "no planned or active important WATER sections in " + where;
      case NOISE -> "no planned or active NOISE points in " + where;
    };
  }
}
