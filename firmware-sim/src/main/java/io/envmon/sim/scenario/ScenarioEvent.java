package io.envmon.sim.scenario;

import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Something that happens to the environment during a scenario. Times are offsets from the
 * scenario's start.
 */
public sealed interface ScenarioEvent {

  /**
   * A heavy-pollution day over some cities: particulates, NO2, SO2 and CO of their air stations are
   * multiplied by {@code factor}, ramping up over the first and down over the last sixth of the
   * episode.
   */
  record HeavyPollution(Set<String> cities, Duration from, Duration duration, double factor)
      implements ScenarioEvent {
    public HeavyPollution {
      cities = Set.copyOf(cities);
      if (factor < 1) {
        throw new IllegalArgumentException("heavy-pollution factor must be ≥ 1, was " + factor);
      }
    }
  }

  /**
   * A spill at a water section: {@code parameter} rises by {@code peak} at {@code origin} during
   * {@code [from, from + duration)}; each section {@code n} hops downstream sees it {@code n ×
   * travelTime} later, {@code attenuation^n} as strong.
   */
  record Spill(
      String origin,
      Parameter parameter,
      Duration from,
      Duration duration,
      double peak,
      Duration travelTime,
      double attenuation)
      implements ScenarioEvent {
    public Spill {
      if (peak <= 0 || attenuation <= 0 || attenuation > 1) {
        throw new IllegalArgumentException(
            "spill at " + origin + ": peak must be > 0 and attenuation in (0, 1]");
      }
    }
  }

  /** The episodes' types as written in scenario files. */
  List<String> TYPES = List.of("heavy-pollution", "spill");
}
