package io.envmon.domain.point;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.water.WaterClass;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Monitoring points of the registry")
class MonitoringPointTest {

  private static MonitoringPoint air(SharingScope sharing, Set<String> sharedWith) {
    return new MonitoringPoint(
        "wujiang-air-01",
        "wujiang",
        PointKind.AIR,
        "吴江监测站",
        "Wujiang station",
        31.16,
        120.64,
        PointStatus.ACTIVE,
        sharing,
        sharedWith,
        null,
        null);
  }

  @Test
  void aPointIdIsASlugExactlyAsTheDocumentedPatternSays() {
    java.util.regex.Pattern slug = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    List<String> ids =
        List.of(
            "wujiang-air-01",
            "a1",
            "0-",
            "a",
            "",
            "-ab",
            "Ab",
            "a_b",
            "a b",
            "站点",
            "a".repeat(63),
            "a".repeat(64),
            "ab\n",
            "a\u00e9");
    for (String id : ids) {
      assertThat(MonitoringPoint.isSlug(id)).as(id).isEqualTo(slug.matcher(id).matches());
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    String alphabet = "az09-_A.";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder id = new StringBuilder();
      for (int k = random.nextInt(66); k > 0; k--) {
        id.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(MonitoringPoint.isSlug(id.toString()))
          .as(id.toString())
          .isEqualTo(slug.matcher(id).matches());
    }
  }

  @Test
  void theOwnCitySeesEveryPoint() {
    assertThat(air(SharingScope.PRIVATE, Set.of()).isVisibleTo("wujiang")).isTrue();
  }

  @Test
  void anotherCitySeesClusterSharedPointsButNotPrivateOnes() {
    assertThat(air(SharingScope.CLUSTER, Set.of()).isVisibleTo("qingpu")).isTrue();
    assertThat(air(SharingScope.PRIVATE, Set.of()).isVisibleTo("qingpu")).isFalse();
  }

  @Test
  void aCitiesSharedPointIsSeenOnlyByTheNamedCities() {
    MonitoringPoint point = air(SharingScope.CITIES, Set.of("jiashan"));
    assertThat(point.isVisibleTo("jiashan")).isTrue();
    assertThat(point.isVisibleTo("qingpu")).isFalse();
  }

  @Test
  void sharedWithMustNameCitiesExactlyForCitiesSharing() {
    assertThatThrownBy(() -> air(SharingScope.CITIES, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sharedWith");
    assertThatThrownBy(() -> air(SharingScope.CLUSTER, Set.of("jiashan")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void waterAttributesAreRequiredExactlyForWaterPoints() {
    assertThatThrownBy(
            () ->
                new MonitoringPoint(
                    "wujiang-water-01",
                    "wujiang",
                    PointKind.WATER,
                    "太浦河",
                    null,
                    31.0,
                    120.6,
                    PointStatus.ACTIVE,
                    SharingScope.CLUSTER,
                    Set.of(),
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("water attributes");
  }

  @Test
  void aNoiseZoneIsRequiredExactlyForNoisePoints() {
    assertThatThrownBy(
            () ->
                new MonitoringPoint(
                    "wujiang-noise-01",
                    "wujiang",
                    PointKind.NOISE,
                    "n",
                    null,
                    31.0,
                    120.6,
                    PointStatus.ACTIVE,
                    SharingScope.CLUSTER,
                    Set.of(),
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noiseZone");
  }

  @Test
  void anIdMustBeASlugAndCoordinatesOnEarth() {
    assertThatThrownBy(
            () ->
                new MonitoringPoint(
                    "Wujiang Air",
                    "wujiang",
                    PointKind.AIR,
                    "n",
                    null,
                    31.0,
                    120.6,
                    PointStatus.ACTIVE,
                    SharingScope.CLUSTER,
                    Set.of(),
                    null,
                    null))
        .hasMessageContaining("slug");
    assertThatThrownBy(
            () ->
                new MonitoringPoint(
                    "wujiang-air-02",
                    "wujiang",
                    PointKind.AIR,
                    "n",
                    null,
                    91,
                    120.6,
                    PointStatus.ACTIVE,
                    SharingScope.CLUSTER,
                    Set.of(),
                    null,
                    null))
        .hasMessageContaining("lat");
  }

  @Test
  void aTargetClassCannotBeWorseThanV() {
    assertThatThrownBy(
            () -> new WaterAttributes("taipu", true, WaterClass.WORSE_THAN_V, null, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyImportantSectionsCountInTheRatio() {
    MonitoringPoint minor =
        new MonitoringPoint(
            "wujiang-water-02",
            "wujiang",
            PointKind.WATER,
            "n",
            null,
            31.0,
            120.6,
            PointStatus.ACTIVE,
            SharingScope.CLUSTER,
            Set.of(),
            new WaterAttributes("taipu", false, WaterClass.III, WaterBody.RIVER, List.of()),
            null);
    assertThat(minor.countsInSharingRatio()).isFalse();
    assertThat(minor.water().waterBody()).isEqualTo(WaterBody.RIVER);
  }
}
