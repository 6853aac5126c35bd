package io.envmon.api.ratios;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sharing ratios as the ratio job writes them to InfluxDB sharing_ratio, read "as of" T. */
@WithRealInfrastructure
class SharingRatiosIT {

  static final Instant T1 = Instant.parse("2026-02-01T08:00:00Z");
  static final Instant T2 = Instant.parse("2026-02-01T08:01:00Z");

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    influx.write(ratio("qingpu", "city", T1, 1, 2, 50.0));
    influx.write(ratio("qingpu", "city", T2, 2, 2, 80.0));
    influx.write(ratio("yrd-demo", "cluster", T1, 4, 7, 60.0));
    // Jiashan without noise points: null noise ratio and null score, with the reasons.
    influx.write(
        Point.measurement("sharing_ratio")
            .time(T2.toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", "jiashan")
            .tag("scope", "city")
            .addField("air_num", 1L)
            .addField("air_den", 2L)
            .addField("air_cond", 0L)
            .addField("air_value", 0.5)
            .addField("water_num", 0L)
            .addField("water_den", 1L)
            .addField("water_cond", 1L)
            .addField("water_value", 0.0)
            .addField("noise_num", 0L)
            .addField("noise_den", 0L)
            .addField("noise_cond", 0L)
            .addField("noise_null_reason", "no planned or active NOISE points")
            .addField("score_null_reason", "noise ratio is null")
            .build());
  }

  @AfterAll
  static void close() {
    influx.close();
  }

  static Point ratio(
      String city, String scope, Instant time, long airNum, long airDen, double score) {
    return Point.measurement("sharing_ratio")
        .time(time.toEpochMilli(), TimeUnit.MILLISECONDS)
        .tag("city", city)
        .tag("scope", scope)
        .addField("air_num", airNum)
        .addField("air_den", airDen)
        .addField("air_cond", 0L)
        .addField("air_value", (double) airNum / airDen)
        .addField("water_num", 1L)
        .addField("water_den", 1L)
        .addField("water_cond", 0L)
        .addField("water_value", 1.0)
        .addField("noise_num", 0L)
        .addField("noise_den", 1L)
        .addField("noise_cond", 0L)
        .addField("noise_value", 0.0)
        .addField("score", score)
        .build();
  }

  @Test
  @DisplayName("as of a time between two minutes, each city's newest ratio at or before it")
  void ratiosAsOfPastTime() {
    Map<String, Object> ratios =
        calls.getObject(
            api.tokenOf("wujiang-viewer"), "/api/v1/sharing-ratios?at=2026-02-01T08:00:30Z");
    List<Object> cities = list(ratios.get("cities"));
    assertThat(cities).hasSize(1);
    Map<?, ?> qingpu = (Map<?, ?>) cities.get(0);
    assertThat(qingpu.get("city")).isEqualTo("qingpu");
    assertThat(qingpu.get("time")).isEqualTo(T1.toString());
    assertThat(qingpu.get("score")).isEqualTo(50.0);
    assertThat(((Map<?, ?>) qingpu.get("air")).get("numerator")).isEqualTo(1);
    Map<?, ?> cluster = (Map<?, ?>) (list(ratios.get("cluster"))).get(0);
    assertThat(cluster.get("city")).isEqualTo("yrd-demo");
    assertThat(cluster.get("score")).isEqualTo(60.0);
  }

  @Test
  @DisplayName("a later time sees the later minute, and null ratios come with their reasons")
  void laterTimeAndNullReasons() {
    Map<String, Object> ratios =
        calls.getObject(
            api.tokenOf("coordinator"), "/api/v1/sharing-ratios?at=2026-02-01T08:05:00Z");
    List<Object> cities = list(ratios.get("cities"));
    assertThat(cities.stream().map(c -> (Object) ((Map<?, ?>) c).get("city")).toList())
        .containsExactly("jiashan", "qingpu");
    Map<?, ?> jiashan = (Map<?, ?>) cities.get(0);
    assertThat(jiashan.containsKey("score")).isFalse();
    assertThat(jiashan.get("scoreNullReason")).isEqualTo("noise ratio is null");
    assertThat(((Map<?, ?>) jiashan.get("noise")).get("nullReason"))
        .isEqualTo("no planned or active NOISE points");
    assertThat(((Map<?, ?>) jiashan.get("water")).get("conditional")).isEqualTo(1);
    assertThat(((Map<?, ?>) cities.get(1)).get("score")).isEqualTo(80.0);
  }

  @Test
  @DisplayName("before any ratio was computed the scoreboard is empty")
  void emptyBeforeAnyRatio() {
    Map<String, Object> ratios =
        calls.getObject(
            api.tokenOf("coordinator"), "/api/v1/sharing-ratios?at=2025-01-01T00:00:00Z");
    assertThat(list(ratios.get("cities"))).isEmpty();
  }

  @Test
  @DisplayName("the history of a city lists its minutes in order")
  void historyInOrder() {
    List<Map<String, Object>> history =
        calls.getList(
            api.tokenOf("jiashan-viewer"),
            "/api/v1/sharing-ratios/history?city=qingpu&from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z");
    assertThat(history).extracting(h -> h.get("score")).containsExactly(50.0, 80.0);
  }

  @Test
  @DisplayName("history of an unknown city is 404, of an inverted or too long range 400")
  void historyRejectsBadRequests() {
    String token = api.tokenOf("coordinator");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/sharing-ratios/history?city=atlantis").bearerAuth(token)))
        .isEqualTo(404);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                        "/api/v1/sharing-ratios/history?city=qingpu&from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z")
                    .bearerAuth(token)))
        .isEqualTo(400);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                        "/api/v1/sharing-ratios/history?city=qingpu&from=2025-02-01T00:00:00Z&to=2026-02-01T00:00:00Z")
                    .bearerAuth(token)))
        .isEqualTo(400);
  }

  static java.util.List<Object> list(Object value) {
    return new java.util.ArrayList<>((java.util.List<?>) value);
  }
}
