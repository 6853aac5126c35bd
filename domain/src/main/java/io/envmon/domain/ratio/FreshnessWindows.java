package io.envmon.domain.ratio;

import io.envmon.domain.point.PointKind;
import java.time.Duration;
import java.util.Objects;

/**
 * How recent a point's last valid reading must be for the point to count as delivering data. envmon
 * rule (docs/standards.md §2 "Sharing ratio"): AIR 2 h, WATER 8 h, NOISE 2 h by default.
 */
public record FreshnessWindows(Duration air, Duration water, Duration noise) {
  public static final FreshnessWindows DEFAULTS =
      new FreshnessWindows(Duration.ofHours(2), Duration.ofHours(8), Duration.ofHours(2));

  public FreshnessWindows {
    for (Duration window : new Duration[] {air, water, noise}) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("a freshness window must be positive: " + window);
      }
    }
  }

  public Duration of(PointKind kind) {
    return switch (kind) {
      case AIR -> air;
      case WATER -> water;
      case NOISE -> noise;
    };
  }
}
