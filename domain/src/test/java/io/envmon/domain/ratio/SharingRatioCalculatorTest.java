package io.envmon.domain.ratio;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.water.WaterClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sharing ratio, indicator L3P1-A1")
class SharingRatioCalculatorTest {

  private static final Instant T = Instant.parse("2025-11-21T12:00:00Z");
  private static final SharingRatioCalculator CALCULATOR =
      new SharingRatioCalculator(FreshnessWindows.DEFAULTS);

  private final List<MonitoringPoint> points = new ArrayList<>();
  private final Map<String, Instant> lastValid = new HashMap<>();

  private MonitoringPoint point(
      String id, String city, PointKind kind, PointStatus status, SharingScope sharing) {
    return point(id, city, kind, status, sharing, true);
  }

  private MonitoringPoint point(
      String id,
      String city,
      PointKind kind,
      PointStatus status,
      SharingScope sharing,
      boolean important) {
    MonitoringPoint p =
        new MonitoringPoint(
            id,
            city,
            kind,
            id,
            null,
            31.0,
            120.9,
            status,
            sharing,
            sharing == SharingScope.CITIES ? Set.of("jiashan") : Set.of(),
            kind == PointKind.WATER
                ? new WaterAttributes(
                    "taipu", important, WaterClass.III, WaterBody.RIVER, List.of())
                : null,
            kind == PointKind.NOISE ? NoiseZone.Z2 : null);
    points.add(p);
    return p;
  }

  private void delivered(String id, Duration ago) {
    lastValid.put(id, T.minus(ago));
  }

  private CityRatios city(String cityId) {
    return CALCULATOR.compute("yrd", List.of(cityId), points, lastValid, T).cities().get(0);
  }

  @Test
  @DisplayName("worked example: b1 2/4, b2 1/2, b3 1/1 give score 100 × (0.2 + 0.2 + 0.2) = 60")
  void workedExample() {
    point("wj-air-1", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("wj-air-2", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("wj-air-3", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.PRIVATE);
    point("wj-air-4", "wujiang", PointKind.AIR, PointStatus.PLANNED, SharingScope.CLUSTER);
    point("wj-water-1", "wujiang", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("wj-water-2", "wujiang", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("wj-noise-1", "wujiang", PointKind.NOISE, PointStatus.ACTIVE, SharingScope.CLUSTER);
    delivered("wj-air-1", Duration.ofMinutes(5));
    delivered("wj-air-2", Duration.ofMinutes(90));
    delivered("wj-air-3", Duration.ofMinutes(5));
    delivered("wj-water-1", Duration.ofHours(7));
    delivered("wj-water-2", Duration.ofHours(9));
    delivered("wj-noise-1", Duration.ofMinutes(1));

    CityRatios wujiang = city("wujiang");

    assertThat(wujiang.air().numerator()).isEqualTo(2);
    assertThat(wujiang.air().denominator()).isEqualTo(4);
    assertThat(wujiang.water().numerator()).isEqualTo(1);
    assertThat(wujiang.water().denominator()).isEqualTo(2);
    assertThat(wujiang.noise().value()).isEqualTo(1.0);
    assertThat(wujiang.score()).isEqualTo(60.0);
    assertThat(wujiang.scoreNullReason()).isNull();
  }

  @Test
  void aReadingOlderThanTheFreshnessWindowDoesNotCount() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    delivered("wj-a", Duration.ofHours(2).plusSeconds(1));
    assertThat(city("wujiang").air().numerator()).isZero();
  }

  @Test
  void aReadingExactlyAtTheWindowsStartStillCounts() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    delivered("wj-a", Duration.ofHours(2));
    assertThat(city("wujiang").air().numerator()).isEqualTo(1);
  }

  @Test
  void aReadingAfterTDoesNotCountAsOfT() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    lastValid.put("wj-a", T.plusSeconds(1));
    assertThat(city("wujiang").air().numerator()).isZero();
  }

  @Test
  void aPrivatePointCountsInTheDenominatorOnly() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.PRIVATE);
    delivered("wj-a", Duration.ofMinutes(1));
    Ratio air = city("wujiang").air();
    assertThat(air.numerator()).isZero();
    assertThat(air.denominator()).isEqualTo(1);
    assertThat(air.value()).isZero();
  }

  @Test
  void aDecommissionedPointCountsNowhere() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.DECOMMISSIONED, SharingScope.CLUSTER);
    point("wj-b", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    delivered("wj-a", Duration.ofMinutes(1));
    delivered("wj-b", Duration.ofMinutes(1));
    Ratio air = city("wujiang").air();
    assertThat(air.numerator()).isEqualTo(1);
    assertThat(air.denominator()).isEqualTo(1);
  }

  @Test
  void aNonImportantSectionCountsInNeitherPart() {
    point("wj-w1", "wujiang", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER, false);
    point("wj-w2", "wujiang", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER, true);
    delivered("wj-w1", Duration.ofHours(1));
    delivered("wj-w2", Duration.ofHours(1));
    Ratio water = city("wujiang").water();
    assertThat(water.numerator()).isEqualTo(1);
    assertThat(water.denominator()).isEqualTo(1);
  }

  @Test
  void conditionalSharingIsReportedBesideTheRatioNotInIt() {
    point("wj-a", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CITIES);
    delivered("wj-a", Duration.ofMinutes(1));
    Ratio air = city("wujiang").air();
    assertThat(air.numerator()).isZero();
    assertThat(air.conditionalNumerator()).isEqualTo(1);
    assertThat(air.denominator()).isEqualTo(1);
  }

  @Test
  void aKindWithNoPlannedPointsIsNullAndMakesTheScoreNullWithTheReason() {
    point("qp-a", "qingpu", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("qp-w", "qingpu", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER);
    delivered("qp-a", Duration.ofMinutes(1));
    CityRatios qingpu = city("qingpu");
    assertThat(qingpu.noise().value()).isNull();
    assertThat(qingpu.noise().nullReason())
        .isEqualTo("no planned or active NOISE points in qingpu");
    assertThat(qingpu.score()).isNull();
    assertThat(qingpu.scoreNullReason()).contains("no planned or active NOISE points in qingpu");
  }

  @Test
  void theClusterSumsNumeratorsAndDenominatorsAcrossCities() {
    point("wj-a1", "wujiang", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("wj-a2", "wujiang", PointKind.AIR, PointStatus.PLANNED, SharingScope.CLUSTER);
    point("js-a1", "jiashan", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("js-a2", "jiashan", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    point("js-a3", "jiashan", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    for (String id : List.of("wj-a1", "js-a1", "js-a2")) {
      delivered(id, Duration.ofMinutes(10));
    }
    ClusterRatios ratios =
        CALCULATOR.compute("yrd", List.of("wujiang", "jiashan"), points, lastValid, T);

    assertThat(ratios.cities())
        .extracting(CityRatios::cityId)
        .containsExactly("wujiang", "jiashan");
    Ratio clusterAir = ratios.cluster().air();
    assertThat(clusterAir.numerator()).isEqualTo(3);
    assertThat(clusterAir.denominator()).isEqualTo(5);
    // the sum of ratios, not the mean of the cities' ratios (1/2 and 2/3)
    assertThat(clusterAir.value()).isEqualTo(0.6);
    assertThat(ratios.cluster().cityId()).isEqualTo("yrd");
  }

  @Test
  @DisplayName(
      "one point's contribution: the rule the b-values and the assessment's evidence share")
  void eachPointsContribution() {
    MonitoringPoint shared =
        point("qp-a1", "qingpu", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CLUSTER);
    MonitoringPoint conditional =
        point("qp-a2", "qingpu", PointKind.AIR, PointStatus.ACTIVE, SharingScope.CITIES);
    MonitoringPoint privatePoint =
        point("qp-a3", "qingpu", PointKind.AIR, PointStatus.ACTIVE, SharingScope.PRIVATE);
    MonitoringPoint planned =
        point("qp-a4", "qingpu", PointKind.AIR, PointStatus.PLANNED, SharingScope.CLUSTER);
    MonitoringPoint gone =
        point("qp-a5", "qingpu", PointKind.AIR, PointStatus.DECOMMISSIONED, SharingScope.CLUSTER);
    MonitoringPoint minorSection =
        point("qp-w1", "qingpu", PointKind.WATER, PointStatus.ACTIVE, SharingScope.CLUSTER, false);
    Instant fresh = T.minus(Duration.ofMinutes(5));
    Instant edge = T.minus(Duration.ofHours(2));
    Instant stale = edge.minusMillis(1);

    assertThat(CALCULATOR.contribution(shared, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.NUMERATOR);
    assertThat(CALCULATOR.contribution(shared, edge, T))
        .isEqualTo(SharingRatioCalculator.Contribution.NUMERATOR);
    assertThat(CALCULATOR.contribution(shared, stale, T))
        .isEqualTo(SharingRatioCalculator.Contribution.DENOMINATOR);
    assertThat(CALCULATOR.contribution(shared, T.plusMillis(1), T))
        .isEqualTo(SharingRatioCalculator.Contribution.DENOMINATOR);
    assertThat(CALCULATOR.contribution(shared, null, T))
        .isEqualTo(SharingRatioCalculator.Contribution.DENOMINATOR);
    assertThat(CALCULATOR.contribution(conditional, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.CONDITIONAL);
    assertThat(CALCULATOR.contribution(privatePoint, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.DENOMINATOR);
    assertThat(CALCULATOR.contribution(planned, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.DENOMINATOR);
    assertThat(CALCULATOR.contribution(gone, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.NONE);
    assertThat(CALCULATOR.contribution(minorSection, fresh, T))
        .isEqualTo(SharingRatioCalculator.Contribution.NONE);
  }
}
