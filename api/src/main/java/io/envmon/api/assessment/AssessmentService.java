package io.envmon.api.assessment;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.ratios.SharingRatioService;
import io.envmon.api.ratios.SharingRatioView;
import io.envmon.api.readings.ReadingsService;
import io.envmon.api.readings.TimeRange;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.ClusterRepository;
import io.envmon.api.registry.ClusterRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.ratio.CityRatios;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.ratio.FreshnessWindows;
import io.envmon.domain.ratio.Ratio;
import io.envmon.domain.ratio.SharingRatioCalculator;
import io.envmon.domain.ratio.SharingRatioCalculator.Contribution;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The L3P1-A1 assessment of a city or the cluster as of T (docs/api.md "Assessment L3P1-A1"): the
 * registry as it was at T, each point's last valid reading by the reviewed data, the b-values and
 * score by the domain's {@link SharingRatioCalculator}, and every point's reason.
 */
@Singleton
public class AssessmentService {

  /** How far before T a point's last valid reading is looked for, to show it. */
  static final Duration LAST_READING_LOOK_BACK = Duration.ofDays(31);

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

  private final PointService points;
  private final CityRepository cities;
  private final ClusterRepository clusters;
  private final ReadingsService readings;
  private final SharingRatioService scoreboard;
  private final Clock clock;
  private final SharingRatioCalculator calculator =
      new SharingRatioCalculator(FreshnessWindows.DEFAULTS);

  public AssessmentService(
      PointService points,
      CityRepository cities,
      ClusterRepository clusters,
      ReadingsService readings,
      SharingRatioService scoreboard,
      Clock clock) {
    this.points = points;
    this.cities = cities;
    this.clusters = clusters;
    this.readings = readings;
    this.scoreboard = scoreboard;
    this.clock = clock;
  }

  public Assessment assess(Viewer viewer, String atText, String id) {
    if (id == null || id.isBlank()) {
      throw InvalidRequestException.field("city", "a city or cluster id is required");
    }
    Instant at = atText == null ? clock.instant() : TimeRange.instant("at", atText);
    Optional<ClusterRow> cluster = clusters.findById(id);
    Optional<CityRow> city = cities.findById(id);
    if (cluster.isEmpty() && city.isEmpty()) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no city or cluster " + id);
    }
    authorise(viewer, id, cluster.isPresent());
    List<CityRow> clusterCities =
        cities.findAllOrderById().stream()
            .filter(
                c ->
                    c.clusterId()
                        .equals(
                            cluster.map(ClusterRow::id).orElseGet(() -> city.get().clusterId())))
            .toList();
    String clusterId = clusterCities.isEmpty() ? id : clusterCities.get(0).clusterId();
    List<String> cityIds = clusterCities.stream().map(CityRow::id).toList();
    Map<String, ZoneId> zones = new HashMap<>();
    clusterCities.forEach(c -> zones.put(c.id(), ZoneId.of(c.timeZone())));

    PointService.RegistryAt registry = points.registryAt(at);
    List<MonitoringPoint> clusterPoints =
        registry.points().stream().filter(p -> cityIds.contains(p.cityId())).toList();
    Map<String, Instant> lastValid = new HashMap<>();
    Map<String, ReadingsService.LastValid> found = new HashMap<>();
    List<MonitoringPoint> assessed =
        clusterPoints.stream().filter(p -> cluster.isPresent() || p.cityId().equals(id)).toList();
    // Only the assessed points' readings: another city's b-values of the result are not used.
    for (MonitoringPoint point : assessed) {
      ReadingsService.LastValid last =
          readings.lastValid(point, at.minus(LAST_READING_LOOK_BACK), at);
      found.put(point.id(), last);
      if (last.reviewed() != null) {
        lastValid.put(point.id(), last.reviewed());
      }
    }
    ClusterRatios ratios = calculator.compute(clusterId, cityIds, clusterPoints, lastValid, at);
    CityRatios result =
        cluster.isPresent()
            ? ratios.cluster()
            : ratios.cities().stream().filter(r -> r.cityId().equals(id)).findFirst().orElseThrow();

    List<Assessment.PointEvidence> evidence = new ArrayList<>();
    for (MonitoringPoint point : assessed) {
      evidence.add(
          evidence(
              point,
              found.get(point.id()),
              at,
              zones.getOrDefault(point.cityId(), ZoneId.of("UTC")),
              registry.withoutHistory().contains(point.id()) ? "current" : "history"));
    }
    for (MonitoringPoint later : registry.registeredLater()) {
      if (cluster.isPresent() ? cityIds.contains(later.cityId()) : later.cityId().equals(id)) {
        evidence.add(registeredLater(later, at));
      }
    }
    evidence.sort(
        Comparator.comparing(Assessment.PointEvidence::cityId)
            .thenComparing(Assessment.PointEvidence::kind)
            .thenComparing(Assessment.PointEvidence::id));

    Optional<SharingRatioView> row =
        (cluster.isPresent()
                ? scoreboard.at(at.toString()).cluster()
                : scoreboard.at(at.toString()).cities())
            .stream().filter(r -> r.city().equals(id)).findFirst();
    String name = cluster.map(ClusterRow::name).orElseGet(() -> city.get().name());
    List<String> withoutHistory =
        registry.withoutHistory().stream()
            .filter(pid -> assessed.stream().anyMatch(p -> p.id().equals(pid)))
            .toList();
    return new Assessment(
        at,
        id,
        cluster.isPresent() ? "cluster" : "city",
        name,
        result.score(),
        result.scoreNullReason(),
        part(result.air()),
        part(result.water()),
        part(result.noise()),
        sources(withoutHistory),
        row.orElse(null),
        row.map(r -> agrees(r, result)).orElse(null),
        evidence);
  }

  /** A city's users and the coordinator: the evidence names the city's PRIVATE points. */
  private static void authorise(Viewer viewer, String id, boolean cluster) {
    if (viewer.isCoordinator()) {
      return;
    }
    if (cluster) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "the cluster's assessment lists every city's points, PRIVATE ones too: the coordinator's;"
              + " ask for your city's");
    }
    if (!viewer.cityId().orElse("").equals(id)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "a city's assessment lists its PRIVATE points: its own users and the coordinator only;"
              + " /sharing-ratios shows every city's score");
    }
  }

  private Assessment.PointEvidence evidence(
      MonitoringPoint point,
      ReadingsService.LastValid last,
      Instant at,
      ZoneId zone,
      String registry) {
    Contribution contribution = calculator.contribution(point, last.reviewed(), at);
    Duration window = calculator.windows().of(point.kind());
    Instant windowStart = at.minus(window);
    return new Assessment.PointEvidence(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.nameEn(),
        point.status().name(),
        point.sharing().name(),
        point.sharedWith().stream().sorted().toList(),
        point.kind() == PointKind.WATER ? point.water().important() : null,
        contribution != Contribution.NONE,
        contribution == Contribution.NUMERATOR,
        contribution == Contribution.CONDITIONAL,
        reason(point, contribution, last, windowStart, at, window, zone),
        windowStart,
        last.reviewed() == null
            ? null
            : new Assessment.LastValidReading(
                last.reviewed(),
                null,
                "not known: envmon does not store when a reading arrived (only its observation"
                    + " time); a reading counts by its observation time whenever it arrived"
                    + (last.hourly()
                        ? "; T is older than the raw readings kept, so observedAt is the start"
                            + " of the stored hour of the newest valid value (its minute is not"
                            + " kept)"
                        : "")),
        registry);
  }

  private static Assessment.PointEvidence registeredLater(MonitoringPoint point, Instant at) {
    return new Assessment.PointEvidence(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.nameEn(),
        point.status().name(),
        point.sharing().name(),
        point.sharedWith().stream().sorted().toList(),
        point.kind() == PointKind.WATER ? point.water().important() : null,
        false,
        false,
        false,
        new Assessment.Reason(
            "NOT_REGISTERED",
            "not in the registry at T: registered later; counts in neither part",
            "T 时尚未登记：不计入分子和分母"),
        at.minus(FreshnessWindows.DEFAULTS.of(point.kind())),
        null,
        "history");
  }

  /** Why: the first condition of the indicator the point fails, or COUNTED. */
  private static Assessment.Reason reason(
      MonitoringPoint point,
      Contribution contribution,
      ReadingsService.LastValid last,
      Instant windowStart,
      Instant at,
      Duration window,
      ZoneId zone) {
    String hours = window.toHours() + " h";
    String range = LOCAL.format(windowStart.atZone(zone)) + " … " + LOCAL.format(at.atZone(zone));
    if (contribution == Contribution.NUMERATOR) {
      return new Assessment.Reason(
          "COUNTED",
          "ACTIVE, shared with the cluster, valid reading observed "
              + LOCAL.format(last.reviewed().atZone(zone))
              + " within the "
              + hours
              + " window before T",
          "已运行、区域共享，T 前 "
              + hours
              + " 窗口内有有效数据（"
              + LOCAL.format(last.reviewed().atZone(zone))
              + "）：计入");
    }
    if (point.kind() == PointKind.WATER && !point.water().important()) {
      return new Assessment.Reason(
          "NOT_IMPORTANT_SECTION",
          "not an important river section (重要节点断面): counts in neither part of b2",
          "非重要节点断面：不计入 b2");
    }
    if (point.status() != PointStatus.ACTIVE) {
      return point.status() == PointStatus.DECOMMISSIONED
          ? new Assessment.Reason(
              "NOT_ACTIVE",
              "status DECOMMISSIONED: counts in neither part",
              "状态 DECOMMISSIONED（已撤销）：不计入分子和分母")
          : new Assessment.Reason(
              "NOT_ACTIVE",
              "status "
                  + point.status()
                  + ": in the planned total, not shared (no automatic equipment delivering yet)",
              "状态 " + point.status() + "（规划）：计入计划数，未计为共享");
    }
    if (point.sharing() == SharingScope.PRIVATE) {
      return new Assessment.Reason(
          "PRIVATE",
          "PRIVATE: its data is not shared with the other cities; in the planned total only",
          "未共享（PRIVATE）：仅计入计划数");
    }
    if (point.sharing() == SharingScope.CITIES) {
      String with = String.join(", ", point.sharedWith().stream().sorted().toList());
      return contribution == Contribution.CONDITIONAL
          ? new Assessment.Reason(
              "SHARED_WITH_SOME",
              "shared only with "
                  + with
                  + " (conditional sharing): reported beside the ratio as conditional, not counted",
              "仅与 " + with + " 共享（有条件共享）：单列为有条件共享，不计入")
          : new Assessment.Reason(
              "SHARED_WITH_SOME",
              "shared only with "
                  + with
                  + " (conditional sharing), and no valid data in the "
                  + hours
                  + " window "
                  + range
                  + ": not counted",
              "仅与 " + with + " 共享（有条件共享），且 T 前 " + hours + " 窗口 " + range + " 内无有效数据：不计入");
    }
    if (last.raw() != null && !last.raw().isBefore(windowStart)) {
      return new Assessment.Reason(
          "INVALIDATED_BY_REVIEW",
          "its valid data in the "
              + hours
              + " window "
              + range
              + " (newest observed "
              + LOCAL.format(last.raw().atZone(zone))
              + ") was invalidated by its bureau's review",
          "T 前 "
              + hours
              + " 窗口 "
              + range
              + " 内的数据（最新 "
              + LOCAL.format(last.raw().atZone(zone))
              + "）经审核标记为无效：不计入");
    }
    String before =
        last.reviewed() != null
            ? "; last valid reading observed " + LOCAL.format(last.reviewed().atZone(zone))
            : last.searchedAll()
                ? "; none in the " + LAST_READING_LOOK_BACK.toDays() + " days before T"
                : "; none in the newest readings looked at";
    String beforeZh =
        last.reviewed() != null
            ? "；最后有效数据 " + LOCAL.format(last.reviewed().atZone(zone))
            : "；T 前 " + LAST_READING_LOOK_BACK.toDays() + " 天内无有效数据";
    return new Assessment.Reason(
        "NO_VALID_DATA_IN_WINDOW",
        "no valid reading observed in the " + hours + " window " + range + before,
        "T 前 " + hours + " 窗口 " + range + " 内无有效数据" + beforeZh);
  }

  private static SharingRatioView.Part part(Ratio ratio) {
    return new SharingRatioView.Part(
        ratio.numerator(),
        ratio.denominator(),
        ratio.conditionalNumerator(),
        ratio.value(),
        ratio.nullReason());
  }

  /** The scoreboard's row at T counts the same points (its score within rounding). */
  static boolean agrees(SharingRatioView row, CityRatios result) {
    return same(row.air(), result.air())
        && same(row.water(), result.water())
        && same(row.noise(), result.noise())
        && (row.score() == null
            ? result.score() == null
            : result.score() != null && Math.abs(row.score() - result.score()) < 1e-6);
  }

  private static boolean same(SharingRatioView.Part part, Ratio ratio) {
    return part.numerator() == ratio.numerator()
        && part.denominator() == ratio.denominator()
        && part.conditional() == ratio.conditionalNumerator();
  }

  private static Assessment.Sources sources(List<String> withoutHistory) {
    return new Assessment.Sources(
        "the registry: each kind's planned total is its points that are PLANNED or ACTIVE at T"
            + " (WATER: important sections only), as the bureau registered them; envmon keeps no"
            + " other planned figure",
        withoutHistory.isEmpty()
            ? "the registry as it was at T, from the history of every point's changes (the points"
                + " topic's outbox)"
            : "the registry as it was at T, from the history of every point's changes; the points in"
                + " pointsWithoutHistory have none and are taken as they are now",
        withoutHistory,
        "InfluxDB reading, reviewed: a reading counts with a value of flag N that no review mark"
            + " invalidated, by its observation time, whenever it arrived",
        "AIR 2 h, WATER 8 h, NOISE 2 h before T, T included (the stream jobs' defaults)");
  }
}
