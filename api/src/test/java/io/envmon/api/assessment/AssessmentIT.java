package io.envmon.api.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The L3P1-A1 assessment of the demo cluster as of T, against {@code /sharing-ratios?at=T}.
 *
 * <p>The stream jobs do not run in the API's tests, so the scoreboard rows at T are written here as
 * the ratio job writes them, with the counts worked out by hand below from the demo registry and
 * the readings seeded here (docs/standards.md §2). The test asserts that the assessment — computed
 * by the API from the registry as of T and the readings in InfluxDB — answers exactly those counts
 * and scores for every city and the cluster, that {@code /sharing-ratios?at=T} answers the same,
 * and that every demo point is listed with the reason worked out by hand. T lies in 2027, where no
 * other test writes readings; points other tests registered in the demo cities (none with readings
 * then) add to the planned totals only, and are added to the expected denominators.
 */
@WithRealInfrastructure
class AssessmentIT {

  static final Instant T = Instant.parse("2027-06-30T04:00:00Z");

  /** Two days later, beyond the scoreboard's one-day look-back: the review case. */
  static final Instant T2 = T.plus(Duration.ofDays(2));

  static final Set<String> DEMO_POINTS =
      Set.of(
          "qingpu-air-01",
          "qingpu-air-02",
          "qingpu-noise-01",
          "qingpu-water-taipu-01",
          "qingpu-water-dianshan-01",
          "wujiang-air-01",
          "wujiang-air-02",
          "wujiang-noise-01",
          "wujiang-water-taipu-01",
          "wujiang-water-taipu-02",
          "jiashan-air-01",
          "jiashan-air-02",
          "jiashan-noise-01",
          "jiashan-water-taipu-01");

  /** The reason each demo point has as of T, by the seeded readings below. */
  static final Map<String, String> EXPECTED_REASONS =
      Map.ofEntries(
          Map.entry("qingpu-air-01", "COUNTED"),
          Map.entry("qingpu-air-02", "NOT_ACTIVE"),
          Map.entry("qingpu-noise-01", "PRIVATE"),
          Map.entry("qingpu-water-taipu-01", "NO_VALID_DATA_IN_WINDOW"),
          Map.entry("qingpu-water-dianshan-01", "NOT_IMPORTANT_SECTION"),
          Map.entry("wujiang-air-01", "COUNTED"),
          Map.entry("wujiang-air-02", "PRIVATE"),
          Map.entry("wujiang-noise-01", "COUNTED"),
          Map.entry("wujiang-water-taipu-01", "NO_VALID_DATA_IN_WINDOW"),
          Map.entry("wujiang-water-taipu-02", "NO_VALID_DATA_IN_WINDOW"),
          Map.entry("jiashan-air-01", "COUNTED"),
          Map.entry("jiashan-air-02", "PRIVATE"),
          Map.entry("jiashan-noise-01", "NOT_ACTIVE"),
          Map.entry("jiashan-water-taipu-01", "SHARED_WITH_SOME"));

  /**
   * By hand from the demo registry (docs/api.md "Demo cluster") and the readings: numerator,
   * denominator, conditional of air, water (important sections), noise.
   */
  static final Map<String, int[][]> DEMO_COUNTS =
      Map.of(
          // air-01 counted, air-02 PLANNED; taipu-01 stale (dianshan not important); noise PRIVATE
          "qingpu", new int[][] {{1, 2, 0}, {0, 1, 0}, {0, 1, 0}},
          // air-01 counted, air-02 PRIVATE; taipu-01 flag D only, taipu-02 after T; noise at T-2h
          "wujiang", new int[][] {{1, 2, 0}, {0, 2, 0}, {1, 1, 0}},
          // air-01 counted, air-02 PRIVATE; taipu-01 CITIES with data; noise PLANNED
          "jiashan", new int[][] {{1, 2, 0}, {0, 1, 1}, {0, 1, 0}});

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;
  static String coordinator;
  static Map<String, int[][]> expected = new HashMap<>();

  @BeforeAll
  static void seed(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    coordinator = api.tokenOf("coordinator");
    // InfluxDB only (not the readings topic, whose latest view other tests read "now").
    reading("qingpu", "qingpu-air-01", "AIR", T.minus(Duration.ofMinutes(30)), "pm25", "N");
    reading("qingpu", "qingpu-noise-01", "NOISE", T.minus(Duration.ofMinutes(10)), "leq", "N");
    reading("qingpu", "qingpu-water-taipu-01", "WATER", T.minus(Duration.ofHours(9)), "ph", "N");
    reading("wujiang", "wujiang-air-01", "AIR", T.minus(Duration.ofHours(1)), "pm25", "N");
    reading("wujiang", "wujiang-noise-01", "NOISE", T.minus(Duration.ofHours(2)), "leq", "N");
    reading("wujiang", "wujiang-water-taipu-01", "WATER", T.minus(Duration.ofHours(1)), "ph", "D");
    reading("wujiang", "wujiang-water-taipu-02", "WATER", T.plus(Duration.ofMinutes(5)), "ph", "N");
    reading("jiashan", "jiashan-air-01", "AIR", T.minus(Duration.ofHours(1)), "pm25", "N");
    reading("jiashan", "jiashan-water-taipu-01", "WATER", T.minus(Duration.ofHours(2)), "ph", "N");

    // Points other tests of this JVM registered count in the planned totals: in the demo cities,
    // and in cities they added to the cluster (ManagementIT), whose totals only the cluster sums.
    int[][] cluster = new int[3][3];
    for (Map<String, Object> city : calls.getList(coordinator, "/api/v1/cities")) {
      String cityId = (String) city.get("id");
      if (!"yrd-demo".equals(city.get("clusterId"))) {
        continue;
      }
      int[][] counts = new int[3][3];
      if (DEMO_COUNTS.containsKey(cityId)) {
        for (int k = 0; k < 3; k++) {
          counts[k] = DEMO_COUNTS.get(cityId)[k].clone();
        }
      }
      for (Map<String, Object> point :
          calls.getList(coordinator, "/api/v1/points?city=" + cityId)) {
        boolean planned = !"DECOMMISSIONED".equals(point.get("status"));
        boolean inIndicator =
            !"WATER".equals(point.get("kind")) || Boolean.TRUE.equals(point.get("important"));
        if (!DEMO_POINTS.contains((String) point.get("id")) && planned && inIndicator) {
          counts[List.of("AIR", "WATER", "NOISE").indexOf((String) point.get("kind"))][1]++;
        }
      }
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 3; i++) {
          cluster[k][i] += counts[k][i];
        }
      }
      if (DEMO_COUNTS.containsKey(cityId)) {
        expected.put(cityId, counts);
      }
    }
    expected.put("yrd-demo", cluster);
    // The scoreboard at T as the ratio job writes it (stream-jobs SharingRatioRecord).
    expected.forEach(
        (id, counts) ->
            influx.write(scoreboardRow(id, id.equals("yrd-demo") ? "cluster" : "city", counts)));
  }

  @AfterAll
  static void close() {
    influx.close();
  }

  @Test
  @DisplayName(
      "for every city and the cluster the assessment counts what /sharing-ratios?at=T says")
  void agreesWithTheScoreboardForEveryCity() {
    Map<String, Object> board = calls.getObject(coordinator, "/api/v1/sharing-ratios?at=" + T);
    Map<String, Map<?, ?>> rows = new HashMap<>();
    for (String scope : List.of("cities", "cluster")) {
      for (Object row : (List<?>) board.get(scope)) {
        rows.put((String) ((Map<?, ?>) row).get("city"), (Map<?, ?>) row);
      }
    }
    for (String id : List.of("qingpu", "wujiang", "jiashan", "yrd-demo")) {
      Map<String, Object> assessment = assess(coordinator, id, T);
      Map<?, ?> row = rows.get(id);
      assertThat(row).as("scoreboard row of " + id).isNotNull();
      int[][] counts = expected.get(id);
      for (int k = 0; k < 3; k++) {
        String kind = List.of("air", "water", "noise").get(k);
        Map<?, ?> part = (Map<?, ?>) assessment.get(kind);
        assertThat(List.of(part.get("numerator"), part.get("denominator"), part.get("conditional")))
            .as(id + " " + kind)
            .containsExactly(counts[k][0], counts[k][1], counts[k][2]);
        Map<?, ?> boardPart = (Map<?, ?>) row.get(kind);
        assertThat(List.of(part.get("numerator"), part.get("denominator"), part.get("conditional")))
            .as(id + " " + kind + " as on the scoreboard")
            .isEqualTo(
                List.of(
                    boardPart.get("numerator"),
                    boardPart.get("denominator"),
                    boardPart.get("conditional")));
        assertThat(part.get("value"))
            .as(id + " " + kind + " value")
            .isEqualTo(boardPart.get("value"));
      }
      assertThat((Double) assessment.get("score"))
          .as(id + " score")
          .isCloseTo((Double) row.get("score"), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(assessment.get("agreesWithScoreboard")).as(id).isEqualTo(true);
    }
  }

  @Test
  @DisplayName("every demo point is listed with whether it counted and why")
  void evidenceExplainsEveryDemoPoint() {
    Map<String, Object> cluster = assess(coordinator, "yrd-demo", T);
    Map<String, Map<?, ?>> byId =
        ((List<?>) cluster.get("points"))
            .stream()
                .map(p -> (Map<?, ?>) p)
                .collect(Collectors.toMap(p -> (String) p.get("id"), p -> p));
    assertThat(byId.keySet()).containsAll(DEMO_POINTS);
    EXPECTED_REASONS.forEach(
        (id, code) -> {
          Map<?, ?> reason = (Map<?, ?>) byId.get(id).get("reason");
          assertThat(reason.get("code")).as(id).isEqualTo(code);
          assertThat((String) reason.get("text")).as(id).isNotBlank();
          assertThat((String) reason.get("textZh")).as(id).isNotBlank();
          assertThat(byId.get(id).get("counted")).as(id).isEqualTo(code.equals("COUNTED"));
        });
    assertThat(((Map<?, ?>) byId.get("jiashan-water-taipu-01").get("reason")).get("text"))
        .asString()
        .contains("qingpu, wujiang");
    assertThat(byId.get("jiashan-water-taipu-01").get("conditional")).isEqualTo(true);
    assertThat(((Map<?, ?>) byId.get("qingpu-water-taipu-01").get("reason")).get("text"))
        .asString()
        .contains("8 h window", "2027-06-30 04:00 +08:00 … 2027-06-30 12:00 +08:00");
    // the stale section's last valid reading is shown, 9 h before T; the arrival is not stored
    Map<?, ?> last = (Map<?, ?>) byId.get("qingpu-water-taipu-01").get("lastValidReading");
    assertThat(last.get("observedAt")).isEqualTo(T.minus(Duration.ofHours(9)).toString());
    assertThat(last.containsKey("receivedAt")).isFalse();
    assertThat((String) last.get("receivedAtNote")).startsWith("not known");
    assertThat(byId.get("wujiang-water-taipu-02").containsKey("lastValidReading")).isFalse();
    assertThat(byId.get("qingpu-water-dianshan-01").get("inDenominator")).isEqualTo(false);
    assertThat(byId.get("qingpu-air-02").get("inDenominator")).isEqualTo(true);
    assertThat(((Map<?, ?>) cluster.get("sources")).get("plannedTotals"))
        .asString()
        .contains("PLANNED or ACTIVE");
  }

  @Test
  @DisplayName("a reading its bureau invalidated does not count, and the reason says so")
  void reviewedInvalidReadingDoesNotCount() {
    Instant observed = T2.minus(Duration.ofMinutes(20));
    reading("jiashan", "jiashan-air-01", "AIR", observed, "pm25", "N");
    Map<String, Object> before = assess(api.tokenOf("jiashan-viewer"), "jiashan", T2);
    assertThat(evidence(before, "jiashan-air-01").get("counted")).isEqualTo(true);
    var response =
        api.http()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/points/jiashan-air-01/reviews",
                        Map.of(
                            "from",
                            observed.minus(Duration.ofMinutes(1)).toString(),
                            "to",
                            observed.plus(Duration.ofMinutes(1)).toString(),
                            "verdict",
                            "INVALID",
                            "reason",
                            "INSTRUMENT_FAULT"))
                    .bearerAuth(api.tokenOf("jiashan-bureau")),
                Map.class);
    assertThat(response.code()).isEqualTo(201);
    Map<String, Object> after = assess(api.tokenOf("jiashan-viewer"), "jiashan", T2);
    Map<?, ?> point = evidence(after, "jiashan-air-01");
    assertThat(point.get("counted")).isEqualTo(false);
    assertThat(((Map<?, ?>) point.get("reason")).get("code")).isEqualTo("INVALIDATED_BY_REVIEW");
    assertThat(((Map<?, ?>) after.get("air")).get("numerator"))
        .isEqualTo((Integer) ((Map<?, ?>) before.get("air")).get("numerator") - 1);
    // no scoreboard row within a day before T2: nothing to compare
    assertThat(after.containsKey("agreesWithScoreboard")).isFalse();
  }

  @Test
  @DisplayName("CSV: the city's line, then one line per point with its reason")
  void csv() {
    String csv =
        api.http()
            .retrieve(
                HttpRequest.GET("/api/v1/assessments/l3p1-a1?city=qingpu&format=csv&at=" + T)
                    .bearerAuth(api.tokenOf("qingpu-bureau")),
                String.class);
    String[] lines = csv.split("\r\n");
    assertThat(lines[0]).startsWith("at,scope,id,name,city,kind,status,sharing,shared_with");
    assertThat(lines[1]).startsWith(T + ",city,qingpu,");
    assertThat(lines[1]).endsWith(",true");
    assertThat(csv).contains(",point,qingpu-noise-01,").contains(",PRIVATE,");
    assertThat(lines.length).isGreaterThanOrEqualTo(2 + 5);
  }

  @Test
  @DisplayName("another city's assessment is 403, an unknown id 404, a bad time 400")
  void refusals() {
    String qingpu = api.tokenOf("qingpu-bureau");
    assertThat(calls.failureStatus(get("jiashan", T).bearerAuth(qingpu))).isEqualTo(403);
    assertThat(calls.failureStatus(get("yrd-demo", T).bearerAuth(qingpu))).isEqualTo(403);
    assertThat(calls.failureStatus(get("atlantis", T).bearerAuth(coordinator))).isEqualTo(404);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/assessments/l3p1-a1?city=qingpu&at=yesterday")
                    .bearerAuth(coordinator)))
        .isEqualTo(400);
  }

  static Map<?, ?> evidence(Map<String, Object> assessment, String id) {
    return ((List<?>) assessment.get("points"))
        .stream()
            .map(p -> (Map<?, ?>) p)
            .filter(p -> p.get("id").equals(id))
            .findFirst()
            .orElseThrow();
  }

  static Map<String, Object> assess(String token, String id, Instant at) {
    return calls.getObject(token, "/api/v1/assessments/l3p1-a1?city=" + id + "&at=" + at);
  }

  static io.micronaut.http.MutableHttpRequest<?> get(String id, Instant at) {
    return HttpRequest.GET("/api/v1/assessments/l3p1-a1?city=" + id + "&at=" + at);
  }

  static void reading(
      String city, String point, String kind, Instant time, String parameter, String flag) {
    influx.writeReading(
        Point.measurement("reading")
            .time(time.toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", city)
            .tag("point", point)
            .tag("kind", kind)
            .addField("reading_id", point + "-" + time.toEpochMilli())
            .addField("source", "MQTT")
            .addField(parameter, 7.0)
            .addField(parameter + "_flag", flag)
            .build());
  }

  /** A sharing_ratio row as stream-jobs SharingRatioRecord writes it. */
  static Point scoreboardRow(String id, String scope, int[][] counts) {
    Point.Builder row =
        Point.measurement("sharing_ratio")
            .time(T.toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", id)
            .tag("scope", scope);
    double score = 0;
    double[] weights = {0.4, 0.4, 0.2};
    for (int k = 0; k < 3; k++) {
      String kind = List.of("air", "water", "noise").get(k);
      row.addField(kind + "_num", (long) counts[k][0]);
      row.addField(kind + "_den", (long) counts[k][1]);
      row.addField(kind + "_cond", (long) counts[k][2]);
      double value = (double) counts[k][0] / counts[k][1];
      row.addField(kind + "_value", value);
      score += weights[k] * value;
    }
    return row.addField("score", Math.round(100 * score * 1e9) / 1e9).build();
  }
}
