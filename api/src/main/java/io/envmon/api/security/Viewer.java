package io.envmon.api.security;

import io.envmon.domain.point.MonitoringPoint;
import io.micronaut.security.authentication.Authentication;
import java.util.Optional;

/**
 * The signed-in user as the API's rules see it: a role and, except for the coordinator, one city.
 */
public record Viewer(String username, Role role, Optional<String> cityId) {

  public static final String CITY_CLAIM = "city";

  /**
   * The public (the open API, no sign-in): a viewer of a city no point can be in (not a slug), so
   * it sees the CLUSTER points alone, and owns no data.
   */
  public static final Viewer PUBLIC = new Viewer("(public)", Role.VIEWER, Optional.of("(public)"));

  public static Viewer of(Authentication authentication) {
    Role role =
        authentication.getRoles().stream()
            .map(Role::parse)
            .flatMap(Optional::stream)
            .findFirst()
            .orElse(Role.VIEWER);
    Object city = authentication.getAttributes().get(CITY_CLAIM);
    return new Viewer(
        authentication.getName(),
        role,
        city == null || role == Role.COORDINATOR ? Optional.empty() : Optional.of(city.toString()));
  }

  public boolean isCoordinator() {
    return role == Role.COORDINATOR;
  }

  /** Own city everything; other cities' CLUSTER points and CITIES points naming this city. */
  public boolean maySee(MonitoringPoint point) {
    return isCoordinator() || cityId.map(point::isVisibleTo).orElse(false);
  }

  /** Coordinator anywhere, any user in its own city: a point's raw values and review marks. */
  public boolean ownsDataOf(String pointCityId) {
    return isCoordinator() || cityId.orElse("").equals(pointCityId);
  }

  /** Coordinator anywhere, a bureau in its own city. */
  public boolean mayManagePointsOf(String pointCityId) {
    return isCoordinator() || (role == Role.BUREAU && cityId.orElse("").equals(pointCityId));
  }
}
