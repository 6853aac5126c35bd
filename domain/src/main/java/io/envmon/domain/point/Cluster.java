package io.envmon.domain.point;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A city cluster (城市群) whose cities share monitoring data. */
public record Cluster(String id, String name, String nameEn, List<City> cities) {
  public Cluster {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    cities = List.copyOf(cities);
  }

  public Optional<City> city(String cityId) {
    return cities.stream().filter(c -> c.id().equals(cityId)).findFirst();
  }
}
