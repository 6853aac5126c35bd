package io.envmon.api.registry;

import io.envmon.domain.noise.NightWindow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The registry's data file: a cluster with its cities, points and users (demo/cluster.json). */
@Serdeable
public record DataFile(
    ClusterEntry cluster,
    List<CityEntry> cities,
    List<PointRequest> points,
    @Nullable List<UserEntry> users) {

  @Serdeable
  public record ClusterEntry(String id, String name, @Nullable String nameEn) {}

  @Serdeable
  public record CityEntry(
      String id,
      String name,
      @Nullable String nameEn,
      String timeZone,
      List<String> neighbours,
      @Nullable String nightStart,
      @Nullable String nightEnd) {

    /** The city's night window, 22:00-06:00 when the file names none. */
    public NightWindow night() {
      return nightStart == null && nightEnd == null
          ? NightWindow.DEFAULT
          : NightWindow.of(nightStart, nightEnd);
    }
  }

  /** A demo login: the password is in the file on purpose, and hashed when loaded. */
  @Serdeable
  public record UserEntry(String username, String password, String role, @Nullable String city) {}
}
