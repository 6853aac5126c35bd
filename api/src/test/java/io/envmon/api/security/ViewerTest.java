package io.envmon.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Who may see and change a point")
class ViewerTest {

  static MonitoringPoint point(String city, SharingScope sharing, Set<String> sharedWith) {
    return new MonitoringPoint(
        city + "-noise-x",
        city,
        PointKind.NOISE,
        "n",
        null,
        31,
        121,
        PointStatus.ACTIVE,
        sharing,
        sharedWith,
        null,
        NoiseZone.Z2);
  }

  static Viewer of(String role, String city) {
    return new Viewer("u", Role.parse(role).orElseThrow(), Optional.ofNullable(city));
  }

  @Test
  @DisplayName("a user sees its own city's PRIVATE point, not another city's")
  void privateOnlyForOwnCity() {
    MonitoringPoint wujiangPrivate = point("wujiang", SharingScope.PRIVATE, Set.of());
    assertThat(of("viewer", "wujiang").maySee(wujiangPrivate)).isTrue();
    assertThat(of("bureau", "qingpu").maySee(wujiangPrivate)).isFalse();
    assertThat(of("coordinator", null).maySee(wujiangPrivate)).isTrue();
  }

  @Test
  @DisplayName("a CITIES point is seen only by the cities it names")
  void citiesPointForNamedCities() {
    MonitoringPoint shared = point("jiashan", SharingScope.CITIES, Set.of("qingpu"));
    assertThat(of("viewer", "qingpu").maySee(shared)).isTrue();
    assertThat(of("viewer", "wujiang").maySee(shared)).isFalse();
  }

  @Test
  @DisplayName("only the coordinator and the city's own bureau change its points")
  void onlyCoordinatorAndOwnBureauChange() {
    assertThat(of("coordinator", null).mayManagePointsOf("qingpu")).isTrue();
    assertThat(of("bureau", "qingpu").mayManagePointsOf("qingpu")).isTrue();
    assertThat(of("bureau", "wujiang").mayManagePointsOf("qingpu")).isFalse();
    assertThat(of("emergency", "qingpu").mayManagePointsOf("qingpu")).isFalse();
    assertThat(of("viewer", "qingpu").mayManagePointsOf("qingpu")).isFalse();
  }

  @Test
  @DisplayName("the token's role and city claim make the viewer; a coordinator has no city")
  void viewerFromToken() {
    Viewer bureau =
        Viewer.of(
            Authentication.build("qingpu-bureau", List.of("bureau"), Map.of("city", "qingpu")));
    assertThat(bureau.role()).isEqualTo(Role.BUREAU);
    assertThat(bureau.cityId()).contains("qingpu");
    assertThat(Viewer.of(Authentication.build("c", List.of("coordinator"), Map.of())).cityId())
        .isEmpty();
  }
}
