package io.envmon.api.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Exports through the HTTP API, from the real InfluxDB, with the rules of visibility and review.
 */
@WithRealInfrastructure
class ExportIT {

  /** A day no other IT writes: 2024-07-15 in Shanghai is 2024-07-14T16:00Z. */
  static final Instant DAY = Instant.parse("2024-07-14T16:00:00Z");

  /** One reading a minute for 2,500 minutes: three export pages of 1,000 rows (ApiTestServer). */
  static final int MINUTES = 2500;

  static final Instant SPIKE = DAY.plus(Duration.ofMinutes(90));

  static ApiTestServer api;
  static ApiCalls calls;
  static JsonMapper json;
  static final Map<String, String> tokens = new HashMap<>();

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    json = api.server.getApplicationContext().getBean(JsonMapper.class);
    List<AcceptedReading> readings = new ArrayList<>();
    for (int minute = 0; minute < MINUTES; minute++) {
      Instant time = DAY.plus(Duration.ofMinutes(minute));
      readings.add(
          InfluxWriter.accepted(
              "qingpu",
              "qingpu-air-01",
              "AIR",
              time,
              Map.of("pm25", (double) (minute % 100), "pm10", 40.0),
              Map.of()));
      if (minute % 60 == 0) {
        // wujiang-air-02 is PRIVATE: Wujiang's alone
        readings.add(
            InfluxWriter.accepted(
                "wujiang", "wujiang-air-02", "AIR", time, Map.of("pm25", 99.0), Map.of()));
      }
    }
    try (InfluxWriter influx = new InfluxWriter(api)) {
      influx.readings(readings);
    }
    // Qingpu's bureau invalidates one minute's pm25 of its point
    api.http()
        .exchange(
            HttpRequest.POST(
                    "/api/v1/points/qingpu-air-01/reviews",
                    Map.of(
                        "from",
                        SPIKE.toString(),
                        "to",
                        SPIKE.plusSeconds(60).toString(),
                        "parameter",
                        "pm25",
                        "verdict",
                        "INVALID",
                        "reason",
                        "MAINTENANCE"))
                .bearerAuth(token("qingpu-bureau")));
  }

  static String token(String user) {
    return tokens.computeIfAbsent(user, api::tokenOf);
  }

  static HttpResponse<String> get(String user, String uri) {
    return api.http().exchange(HttpRequest.GET(uri).bearerAuth(token(user)), String.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object object) {
    return (Map<String, Object>) object;
  }

  static String range() {
    return "from=" + DAY + "&to=" + DAY.plus(Duration.ofDays(2));
  }

  @Test
  @DisplayName("a CSV export has a header with units, city and UTC times and every visible row")
  void csvHasEveryVisibleRowAcrossPages() {
    HttpResponse<String> response =
        get("wujiang-viewer", "/api/v1/export/readings?kind=AIR&city=qingpu&" + range());
    assertThat(response.getContentType().orElseThrow().toString()).startsWith("text/csv");
    assertThat(response.header("Content-Disposition"))
        .contains("attachment")
        .contains("readings-qingpu-air-raw-reviewed-2024-07-14_2024-07-16.csv");
    List<String> lines = response.body().lines().toList();
    assertThat(lines.get(0))
        .startsWith("time_local,time_utc,city,point,pm25 (ug/m3),pm25_flag,pm10 (ug/m3),pm10_flag")
        .endsWith(",source");
    assertThat(lines.get(1)).startsWith("2024-07-15T00:00:00+08:00,2024-07-14T16:00:00Z,qingpu,");
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(MINUTES);
    assertThat(rows.stream().map(r -> r.split(",")[1]).collect(Collectors.toSet()))
        .as("no row twice at the page boundaries")
        .hasSize(MINUTES);
    String spike =
        rows.stream().filter(r -> r.contains("," + SPIKE + ",")).findFirst().orElseThrow();
    assertThat(spike.split(",", -1)[4]).as("the invalidated pm25 left out").isEmpty();
    assertThat(spike.split(",", -1)[6]).isEqualTo("40");
  }

  @Test
  @DisplayName("another city's PRIVATE point is in no export; its own city's users get it")
  void privatePointsStayWithTheirCity() {
    assertThat(get("qingpu-viewer", "/api/v1/export/readings?kind=AIR&" + range()).body())
        .contains("qingpu-air-01")
        .doesNotContain("wujiang-air-02");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/export/readings?kind=AIR&points=wujiang-air-02&" + range())
                    .bearerAuth(token("qingpu-viewer"))))
        .isEqualTo(404);
    assertThat(
            get(
                    "wujiang-viewer",
                    "/api/v1/export/readings?kind=AIR&points=wujiang-air-02&" + range())
                .body()
                .lines())
        .hasSize(1 + MINUTES / 60 + 1);
  }

  @Test
  @DisplayName("NDJSON is one object per reading; view=raw gives the city the value and its mark")
  void ndjsonRawViewCarriesTheMark() throws IOException {
    String uri =
        "/api/v1/export/readings?kind=AIR&points=qingpu-air-01&format=ndjson&view=raw&from="
            + SPIKE
            + "&to="
            + SPIKE.plusSeconds(120);
    HttpResponse<String> response = get("qingpu-bureau", uri);
    assertThat(response.getContentType().orElseThrow().toString())
        .startsWith("application/x-ndjson");
    List<String> lines = response.body().lines().toList();
    assertThat(lines).hasSize(2);
    Map<?, ?> first = json.readValue(lines.get(0), Map.class);
    assertThat(first.get("time")).isEqualTo(SPIKE.toString());
    assertThat(first.get("timeLocal")).isEqualTo("2024-07-15T01:30:00+08:00");
    assertThat(map(first.get("values"))).containsEntry("pm25", 90.0);
    assertThat(map(map(first.get("review")).get("pm25"))).containsEntry("verdict", "INVALID");
    assertThat(json.readValue(lines.get(1), Map.class)).doesNotContainKey("review");
    assertThat(calls.failureStatus(HttpRequest.GET(uri).bearerAuth(token("wujiang-viewer"))))
        .as("another city's raw values")
        .isEqualTo(403);
  }

  @Test
  @DisplayName("hourly buckets in CSV: mean, min, max and count per parameter, invalid left out")
  void hourlyBuckets() {
    List<String> lines =
        get(
                "qingpu-viewer",
                "/api/v1/export/readings?kind=AIR&points=qingpu-air-01&interval=1h&from="
                    + DAY
                    + "&to="
                    + DAY.plus(Duration.ofHours(2)))
            .body()
            .lines()
            .toList();
    assertThat(lines.get(0))
        .startsWith(
            "start_local,start_utc,city,point,pm25_mean (ug/m3),pm25_min (ug/m3),"
                + "pm25_max (ug/m3),pm25_count");
    assertThat(lines).hasSize(3);
    // minutes 60..119: pm25 60..99 then 0..19, less the invalidated minute 90
    String[] secondHour = lines.get(2).split(",");
    assertThat(secondHour[0]).isEqualTo("2024-07-15T01:00:00+08:00");
    assertThat(Double.parseDouble(secondHour[4])).isCloseTo(3280.0 / 59, within(1e-9));
    assertThat(List.of(secondHour).subList(5, 8)).containsExactly("0", "99", "59");
  }

  @Test
  @DisplayName("bad input is 400 problem+json naming the field")
  void badInputIsAProblem() {
    for (String query :
        List.of(
            range(),
            "kind=LAVA&" + range(),
            "kind=AIR&interval=2h&" + range(),
            "kind=AIR&format=xml&" + range(),
            "kind=AIR&from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z",
            "kind=WATER&points=qingpu-air-01&" + range())) {
      HttpClientResponseException failure =
          calls.failure(
              HttpRequest.GET("/api/v1/export/readings?" + query)
                  .bearerAuth(token("qingpu-viewer")));
      assertThat(failure.getStatus().getCode()).as(query).isEqualTo(400);
      assertThat(failure.getResponse().getContentType().orElseThrow().toString())
          .isEqualTo("application/problem+json");
    }
  }

  @Test
  @DisplayName("GeoJSON: the visible points at [lon, lat] with their latest values")
  void geoJsonOfTheVisiblePoints() throws IOException {
    HttpResponse<String> response = get("qingpu-viewer", "/api/v1/export/points?kind=AIR");
    assertThat(response.getContentType().orElseThrow().toString())
        .startsWith("application/geo+json");
    Map<?, ?> collection = json.readValue(response.body(), Map.class);
    assertThat(collection.get("type")).isEqualTo("FeatureCollection");
    List<?> features = (List<?>) collection.get("features");
    Set<Object> ids =
        features.stream().map(f -> ((Map<?, ?>) f).get("id")).collect(Collectors.toSet());
    assertThat(ids).contains("qingpu-air-01", "wujiang-air-01").doesNotContain("wujiang-air-02");
    Map<?, ?> qingpu =
        (Map<?, ?>)
            features.stream()
                .filter(f -> "qingpu-air-01".equals(((Map<?, ?>) f).get("id")))
                .findFirst()
                .orElseThrow();
    List<?> coordinates = (List<?>) ((Map<?, ?>) qingpu.get("geometry")).get("coordinates");
    assertThat(((Number) coordinates.get(0)).doubleValue()).isBetween(120.0, 122.0);
    assertThat(((Number) coordinates.get(1)).doubleValue()).isBetween(30.0, 32.0);
    assertThat(map(qingpu.get("properties")))
        .containsEntry("sharing", "CLUSTER")
        .containsKey("latest");
  }
}
