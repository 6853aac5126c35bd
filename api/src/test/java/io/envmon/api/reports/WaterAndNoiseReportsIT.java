package io.envmon.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The monthly water report and the daily noise report from readings in the real InfluxDB and the
 * demo registry in the real PostgreSQL (August 2026: no other test writes that month).
 */
@WithRealInfrastructure
class WaterAndNoiseReportsIT {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate NOISE_DAY = LocalDate.of(2026, 8, 14);

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    List<AcceptedReading> readings = new ArrayList<>();
    // wujiang-water-taipu-01 (river, target II): NH3-N 0.4 and 0.8 (mean 0.6: class III), the
    // rest class II; a faulty NH3-N 5.0 (flag D) and a July reading are left out.
    Instant august = LocalDate.of(2026, 8, 1).atStartOfDay(SHANGHAI).toInstant();
    for (double nh3n : new double[] {0.4, 0.8}) {
      readings.add(
          water(
              august.plus(Duration.ofDays(nh3n < 0.5 ? 3 : 20)),
              Map.of("nh3n", nh3n, "do", 7.0, "codmn", 3.0, "tp", 0.1, "temp", 28.0),
              Map.of()));
    }
    readings.add(water(august.plus(Duration.ofDays(10)), Map.of("nh3n", 5.0), Map.of("nh3n", "D")));
    readings.add(water(august.minus(Duration.ofHours(1)), Map.of("nh3n", 9.0), Map.of()));
    // wujiang-noise-01 (zone 4a, 70 / 55 dB(A)): 65 every half hour of the day, one hour of 60
    // and 70, and 60 at night; qingpu-noise-01 (PRIVATE, zone 2): 50 all day.
    Instant dayStart = NOISE_DAY.atTime(6, 0).atZone(SHANGHAI).toInstant();
    for (int halfHour = 0; halfHour < 48; halfHour++) {
      Instant at = dayStart.plus(Duration.ofMinutes(30L * halfHour + 5));
      boolean night = halfHour >= 32;
      double leq = night ? 60.0 : halfHour == 4 ? 60.0 : halfHour == 5 ? 70.0 : 65.0;
      readings.add(noise("wujiang", "wujiang-noise-01", at, leq));
      readings.add(noise("qingpu", "qingpu-noise-01", at, 50.0));
    }
    influx.readings(readings);
  }

  private static AcceptedReading water(
      Instant time, Map<String, Double> values, Map<String, String> flags) {
    return InfluxWriter.accepted("wujiang", "wujiang-water-taipu-01", "WATER", time, values, flags);
  }

  private static AcceptedReading noise(String city, String point, Instant time, double leq) {
    return InfluxWriter.accepted(city, point, "NOISE", time, Map.of("leq", leq), Map.of());
  }

  @AfterAll
  static void close() {
    influx.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> row(Map<String, Object> report, String scope, String id) {
    return ((List<Map<String, Object>>) report.get("rows"))
        .stream()
            .filter(r -> id.equals(r.get("id") == null ? r.get("pointId") : r.get("id")))
            .filter(r -> scope == null || scope.equals(r.get("scope")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no row " + scope + " " + id + " in " + report));
  }

  @Test
  @DisplayName(
      "a section's month: the mean of its valid values per item, class III by NH3-N against"
          + " target II (exceedance 0.2), the faulty and the July values left out")
  void monthlyWaterClassAgainstTheTarget() {
    String token = api.tokenOf("wujiang-bureau");
    Map<String, Object> report =
        calls.getObject(token, "/api/v1/reports/water/monthly?month=2026-08&city=wujiang");

    Map<String, Object> section = row(report, null, "wujiang-water-taipu-01");
    assertThat(section)
        .containsEntry("standard", "GB 3838-2002")
        .containsEntry("targetClass", "II")
        .containsEntry("sectionClass", "III")
        .containsEntry("compliant", false)
        .containsEntry("determiningItems", List.of("nh3n"))
        .containsEntry("itemsWorseThanTarget", List.of("nh3n"))
        .containsEntry("complete", true);
    Map<String, Map<String, Object>> items =
        (Map<String, Map<String, Object>>) section.get("items");
    assertThat(((Number) items.get("nh3n").get("mean")).doubleValue()).isCloseTo(0.6, within(1e-9));
    assertThat(items.get("nh3n")).containsEntry("samples", 2).containsEntry("itemClass", "III");
    assertThat(((Number) items.get("nh3n").get("exceedanceMultiple")).doubleValue())
        .isCloseTo(0.2, within(1e-9));
    assertThat(items.get("do"))
        .containsEntry("itemClass", "II")
        .doesNotContainKey("exceedanceMultiple");
    assertThat(items.get("temp")).doesNotContainKey("itemClass");
    // A section without data this month has no class.
    Map<String, Object> empty = row(report, null, "wujiang-water-taipu-02");
    assertThat(empty).doesNotContainKeys("sectionClass", "compliant");
  }

  @Test
  @DisplayName("the monthly water report as CSV, and a readable 400 for a bad month")
  void monthlyWaterCsvAndBadInput() {
    String token = api.tokenOf("wujiang-bureau");
    String csv =
        api.http()
            .retrieve(
                HttpRequest.GET(
                        "/api/v1/reports/water/monthly?month=2026-08&point=wujiang-water-taipu-01")
                    .bearerAuth(token)
                    .accept("text/csv"),
                String.class);
    List<String> lines = csv.lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("month,point,").contains("nh3n_mean_mg/L");
    assertThat(lines.get(1))
        .startsWith("2026-08,wujiang-water-taipu-01,")
        .contains(",II,III,")
        .contains(",0.6,2,III,0.2,");

    assertThat(
            calls
                .failure(
                    HttpRequest.GET("/api/v1/reports/water/monthly?month=2026-13")
                        .bearerAuth(token))
                .getResponse()
                .getBody(String.class)
                .orElseThrow())
        .contains("month");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                        "/api/v1/reports/water/monthly?month=2026-08&point=wujiang-noise-01")
                    .bearerAuth(token)))
        .isEqualTo(400);
  }

  @Test
  @DisplayName(
      "a noise point's day: Ld and Ln as energy averages of the hourly Leq, against zone 4a;"
          + " the city's zone row counts it")
  void dailyNoiseAgainstTheZone() {
    String token = api.tokenOf("wujiang-bureau");
    Map<String, Object> report =
        calls.getObject(token, "/api/v1/reports/noise/daily?date=2026-08-14&city=wujiang");

    // Independently: 15 day hours of 65 and one hour whose Leq is the energy mean of 60 and 70.
    double oddHour = 10 * Math.log10((Math.pow(10, 6.0) + Math.pow(10, 7.0)) / 2);
    double ld = 10 * Math.log10((15 * Math.pow(10, 6.5) + Math.pow(10, oddHour / 10)) / 16);
    Map<String, Object> point = row(report, "POINT", "wujiang-noise-01");
    assertThat(((Number) point.get("ldDbA")).doubleValue()).isCloseTo(ld, within(0.051));
    assertThat(point)
        .containsEntry("zone", "4a")
        .containsEntry("night", "22:00-06:00")
        .containsEntry("lnDbA", 60.0)
        .containsEntry("dayLimitDbA", 70)
        .containsEntry("nightLimitDbA", 55)
        .containsEntry("dayCompliant", true)
        .containsEntry("nightCompliant", false)
        .containsEntry("dayHours", 16)
        .containsEntry("nightHours", 8);
    // Other ITs of this server may add zone-4a points of their own, without data in August.
    Map<String, Object> zone = row(report, "ZONE", "wujiang");
    assertThat((List<String>) zone.get("points")).contains("wujiang-noise-01");
    assertThat(zone)
        .containsEntry("zone", "4a")
        .containsEntry("dayEvaluated", 1)
        .containsEntry("dayComplianceRate", 100.0)
        .containsEntry("nightEvaluated", 1)
        .containsEntry("nightComplianceRate", 0.0);
  }

  @Test
  @DisplayName("a PRIVATE noise point is in its own city's report only")
  void privatePointStaysPrivate() {
    Map<String, Object> own =
        calls.getObject(
            api.tokenOf("qingpu-viewer"), "/api/v1/reports/noise/daily?date=2026-08-14");
    assertThat(row(own, "POINT", "qingpu-noise-01")).containsEntry("ldDbA", 50.0);

    Map<String, Object> other =
        calls.getObject(
            api.tokenOf("wujiang-viewer"), "/api/v1/reports/noise/daily?date=2026-08-14");
    assertThat((List<Map<String, Object>>) other.get("rows"))
        .extracting(r -> r.get("id"))
        .doesNotContain("qingpu-noise-01", "qingpu");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/reports/noise/daily?date=2026-08-14&point=qingpu-noise-01")
                    .bearerAuth(api.tokenOf("wujiang-viewer"))))
        .isEqualTo(404);
  }
}
