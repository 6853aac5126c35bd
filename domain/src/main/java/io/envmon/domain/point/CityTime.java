package io.envmon.domain.point;

import io.envmon.domain.noise.NightWindow;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The time facts of a point's city that the stream jobs need: the zone its local times are read in
 * (alert texts, noise day and night) and its noise night window. The API sends them with every
 * point on {@code envmon.points.v1} ({@link MonitoringPointJson#encode(MonitoringPoint, CityTime)})
 * and sends the city's points again when either changes.
 */
public record CityTime(ZoneId zone, NightWindow night) implements Serializable {

  /** What a city not (yet) known to the jobs is read in: China Standard Time, 22:00–06:00. */
  public static final CityTime DEFAULT =
      new CityTime(ZoneId.of("Asia/Shanghai"), NightWindow.DEFAULT);

  public CityTime {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(night, "night");
  }
}
