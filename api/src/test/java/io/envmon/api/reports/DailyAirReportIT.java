package io.envmon.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The daily air report from readings in the real InfluxDB (written as the stream jobs write them)
 * and the registry in the real PostgreSQL (the demo cluster): a February 2026 day and a November
 * 2026 day with the same concentrations.
 */
@WithRealInfrastructure
class DailyAirReportIT {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate FEBRUARY = LocalDate.of(2026, 2, 10);
  static final LocalDate NOVEMBER = LocalDate.of(2026, 11, 20);

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    List<AcceptedReading> readings = new ArrayList<>();
    for (LocalDate day : List.of(FEBRUARY, NOVEMBER)) {
      Instant midnight = day.atStartOfDay(SHANGHAI).toInstant();
      for (int hour = 0; hour < 24; hour++) {
        Instant start = midnight.plus(Duration.ofHours(hour));
        double o3 = hour >= 10 && hour < 18 ? 120.0 : 40.0;
        // qingpu-air-01 (shared): two readings an hour whose mean is PM2.5 70, and a faulty one.
        for (double pm25 : new double[] {60.0, 80.0}) {
          readings.add(
              air(
                  "qingpu",
                  "qingpu-air-01",
                  start.plus(Duration.ofMinutes(pm25 == 60 ? 10 : 40)),
                  Map.of(
                      "so2", 10.0, "no2", 40.0, "co", 0.8, "pm10", 100.0, "pm25", pm25, "o3", o3),
                  Map.of()));
        }
        readings.add(
            air(
                "qingpu",
                "qingpu-air-01",
                start.plus(Duration.ofMinutes(50)),
                Map.of("pm25", 900.0),
                Map.of("pm25", "D")));
        // wujiang-air-01 (shared): PM2.5 50; wujiang-air-02 (PRIVATE): PM2.5 500.
        readings.add(
            air(
                "wujiang",
                "wujiang-air-01",
                start.plus(Duration.ofMinutes(30)),
                Map.of("so2", 10.0, "no2", 40.0, "co", 0.8, "pm10", 100.0, "pm25", 50.0, "o3", o3),
                Map.of()));
        readings.add(
            air(
                "wujiang",
                "wujiang-air-02",
                start.plus(Duration.ofMinutes(30)),
                Map.of("pm25", 500.0),
                Map.of()));
        // jiashan-air-01: PM2.5 in 19 hours only, too few for a 24-h mean.
        if (hour < 19) {
          readings.add(
              air(
                  "jiashan",
                  "jiashan-air-01",
                  start.plus(Duration.ofMinutes(30)),
                  Map.of("pm25", 40.0),
                  Map.of()));
        }
      }
    }
    influx.readings(readings);
  }

  private static AcceptedReading air(
      String city,
      String point,
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags) {
    return InfluxWriter.accepted(city, point, "AIR", time, values, flags);
  }

  @AfterAll
  static void close() {
    influx.close();
  }

  @Test
  @DisplayName(
      "the same day's concentrations: HJ 633-2012 in February (94 良), HJ 633-2026 in November"
          + " (110, PM2.5 above GB 3095-2026's 60); the faulty reading left out")
  void eachDayByItsVersion() {
    Map<String, Object> february =
        row(
            report("qingpu-viewer", "date=" + FEBRUARY + "&point=qingpu-air-01"),
            "POINT",
            "qingpu-air-01");
    assertThat(february.get("aqiStandard")).isEqualTo("HJ 633-2012");
    assertThat(february.get("limitsStandard")).isEqualTo("GB 3095-2012");
    assertThat(february.get("aqi")).isEqualTo(94);
    assertThat(february.get("categoryZh")).isEqualTo("良");
    assertThat(february.get("exceedances")).isEqualTo(List.of());
    assertThat(february.get("dayStart")).isEqualTo("2026-02-09T16:00:00Z");

    Map<String, Object> november =
        row(
            report("qingpu-viewer", "date=" + NOVEMBER + "&point=qingpu-air-01"),
            "POINT",
            "qingpu-air-01");
    assertThat(november.get("aqiStandard")).isEqualTo("HJ 633-2026");
    assertThat(november.get("limitsStandard")).isEqualTo("GB 3095-2026");
    assertThat(november.get("aqi")).isEqualTo(110);
    assertThat(november.get("aqiText")).isEqualTo("110");
    assertThat(november.get("category")).isEqualTo("LIGHTLY_POLLUTED");
    assertThat(november.get("primaryPollutants")).isEqualTo(List.of("pm25"));
    assertThat(november.get("exceedances")).isEqualTo(List.of("pm25"));
    Map<?, ?> pm25 = pollutant(november, "pm25");
    assertThat(pm25.get("value")).isEqualTo(70.0);
    assertThat(pm25.get("basis")).isEqualTo(24);
    assertThat(pm25.get("iaqi")).isEqualTo(110);
    assertThat(pm25.get("limit")).isEqualTo(60.0);
    assertThat(pm25.get("exceeds")).isEqualTo(true);
    Map<?, ?> o3 = pollutant(november, "o3");
    assertThat(o3.get("statistic")).isEqualTo("8h-max");
    assertThat(o3.get("value")).isEqualTo(120.0);
    assertThat(o3.get("basis")).isEqualTo(17);
    assertThat(o3.get("iaqi")).isEqualTo(67);
  }

  @Test
  @DisplayName(
      "a viewer of another city: the city report rests on shared points only and he cannot ask"
          + " for the private one")
  void privatePointStaysPrivate() {
    Map<String, Object> byOther = report("qingpu-viewer", "date=" + NOVEMBER + "&city=wujiang");
    assertThat(rows(byOther))
        .extracting(r -> r.get("id"))
        .containsExactly("wujiang-air-01", "wujiang");
    Map<String, Object> city = row(byOther, "CITY", "wujiang");
    assertThat(city.get("points")).isEqualTo(List.of("wujiang-air-01"));
    assertThat(pollutant(city, "pm25").get("value")).isEqualTo(50.0);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                        "/api/v1/reports/air/daily?date=" + NOVEMBER + "&point=wujiang-air-02")
                    .bearerAuth(api.tokenOf("qingpu-viewer"))))
        .isEqualTo(404);

    Map<String, Object> byOwn = report("wujiang-bureau", "date=" + NOVEMBER + "&city=wujiang");
    Map<String, Object> ownCity = row(byOwn, "CITY", "wujiang");
    assertThat(ownCity.get("points")).isEqualTo(List.of("wujiang-air-01", "wujiang-air-02"));
    // (50 + 500) / 2
    assertThat(pollutant(ownCity, "pm25").get("value")).isEqualTo(275.0);
  }

  @Test
  @DisplayName(
      "19 hours of PM2.5 make no 24-h mean: missing with its reason, no AQI; the cluster is the"
          + " mean over the visible points with data")
  @SuppressWarnings("unchecked")
  void missingDataAndCluster() {
    Map<String, Object> report = report("qingpu-viewer", "date=" + NOVEMBER);
    Map<String, Object> jiashan = row(report, "POINT", "jiashan-air-01");
    assertThat(jiashan.get("aqi")).isNull();
    assertThat(jiashan.get("missingPollutants")).asList().contains("pm25");
    assertThat((String) pollutant(jiashan, "pm25").get("missingReason"))
        .contains("19 valid hourly means");
    assertThat(rows(report))
        .extracting(r -> r.get("id"))
        .doesNotContain("wujiang-air-02", "jiashan-air-02");

    Map<String, Object> cluster = row(report, "CLUSTER", "yrd-demo");
    assertThat(cluster.get("points")).isEqualTo(List.of("qingpu-air-01", "wujiang-air-01"));
    assertThat((List<Object>) cluster.get("pointsWithoutData"))
        .contains("jiashan-air-01", "qingpu-air-02");
    // (70 + 50) / 2 = 60: at the limit, not above it.
    assertThat(pollutant(cluster, "pm25").get("value")).isEqualTo(60.0);
    assertThat(pollutant(cluster, "pm25").get("exceeds")).isEqualTo(false);
    assertThat(cluster.get("aqi")).isEqualTo(100);
  }

  @Test
  @DisplayName("the same report as CSV, by format=csv and by Accept: text/csv")
  void csv() {
    for (HttpRequest<?> request :
        List.of(
            HttpRequest.GET(
                    "/api/v1/reports/air/daily?date=" + NOVEMBER + "&city=qingpu&format=csv")
                .bearerAuth(api.tokenOf("qingpu-viewer")),
            HttpRequest.GET("/api/v1/reports/air/daily?date=" + NOVEMBER + "&city=qingpu")
                .accept("text/csv")
                .bearerAuth(api.tokenOf("qingpu-viewer")))) {
      HttpResponse<String> response = api.http().exchange(request, String.class);
      assertThat(response.getContentType().orElseThrow().toString()).startsWith("text/csv");
      String[] lines = response.body().split("\r\n");
      assertThat(lines[0]).startsWith("date,scope,id,name,city,time_zone,complete,aqi_standard");
      Map<String, String> point = csvRow(lines[0], lines[1]);
      assertThat(point.get("id")).isEqualTo("qingpu-air-01");
      assertThat(point.get("aqi")).isEqualTo("110");
      assertThat(point.get("aqi_standard")).isEqualTo("HJ 633-2026");
      assertThat(point.get("pm25_24h_ug/m3")).isEqualTo("70");
      assertThat(point.get("pm25_exceeds")).isEqualTo("true");
      assertThat(point.get("co_24h_mg/m3")).isEqualTo("0.8");
      Map<String, String> city = csvRow(lines[0], lines[lines.length - 1]);
      assertThat(city.get("scope")).isEqualTo("CITY");
      // (other tests of this JVM may have added AIR points to qingpu meanwhile)
      assertThat(city.get("points_without_data").split(" "))
          .contains("qingpu-air-02")
          .doesNotContain("qingpu-air-01");
    }
  }

  @Test
  @DisplayName("a bad date or a range over 31 days is refused with the field named")
  void badInput() {
    var token = api.tokenOf("qingpu-viewer");
    var missing = calls.failure(HttpRequest.GET("/api/v1/reports/air/daily").bearerAuth(token));
    assertThat(missing.getStatus().getCode()).isEqualTo(400);
    assertThat(missing.getResponse().getBody(String.class).orElseThrow()).contains("date");
    assertThat(
            calls
                .failure(
                    HttpRequest.GET("/api/v1/reports/air/daily?date=2026-13-01").bearerAuth(token))
                .getResponse()
                .getBody(String.class)
                .orElseThrow())
        .contains("date");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/reports/air/daily?date=2026-01-01&to=2026-03-01")
                    .bearerAuth(token)))
        .isEqualTo(400);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/reports/air/daily?date=2026-11-20&city=atlantis")
                    .bearerAuth(token)))
        .isEqualTo(404);
  }

  /** CSV cells by header; the test's values carry no quotes or commas. */
  private static Map<String, String> csvRow(String header, String line) {
    String[] names = header.split(",", -1);
    String[] cells = line.split(",", -1);
    assertThat(cells).hasSameSizeAs(names);
    Map<String, String> row = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      row.put(names[i], cells[i]);
    }
    return row;
  }

  private static Map<String, Object> report(String user, String query) {
    return calls.getObject(api.tokenOf(user), "/api/v1/reports/air/daily?" + query);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> report) {
    return (List<Map<String, Object>>) report.get("rows");
  }

  private static Map<String, Object> row(Map<String, Object> report, String scope, String id) {
    return rows(report).stream()
        .filter(r -> scope.equals(r.get("scope")) && id.equals(r.get("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + scope + " row " + id + " in " + report));
  }

  private static Map<?, ?> pollutant(Map<String, Object> row, String name) {
    return (Map<?, ?>) ((Map<?, ?>) row.get("pollutants")).get(name);
  }
}
