package io.envmon.domain.ratio;

import java.util.List;

/** Every city's ratios and the cluster's, whose b-values sum numerators and denominators. */
public record ClusterRatios(List<CityRatios> cities, CityRatios cluster) {
  public ClusterRatios {
    cities = List.copyOf(cities);
  }
}
