package io.envmon.domain.point;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/** A city of the cluster, with the time zone its noise day and night are read in. */
public record City(String id, String name, String nameEn, ZoneId timeZone, Set<String> neighbours) {
  public City {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeZone, "timeZone");
    neighbours = Set.copyOf(neighbours == null ? Set.of() : neighbours);
  }
}
