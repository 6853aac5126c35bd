package io.envmon.api.open;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The public API without sign-in, on the demo cluster. */
@WithRealInfrastructure
class PublicApiIT {

  static ApiTestServer api;
  static ApiCalls calls;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
  }

  static List<Map<String, Object>> list(String uri) {
    return api.http()
        .retrieve(
            HttpRequest.GET(uri), Argument.listOf(Argument.mapOf(String.class, Object.class)));
  }

  @Test
  @DisplayName("the public points are the ACTIVE CLUSTER ones: no PRIVATE, CITIES or PLANNED point")
  void onlyActiveClusterPoints() {
    List<Object> ids = list("/api/v1/public/points").stream().map(p -> p.get("id")).toList();
    assertThat(ids)
        .contains("qingpu-air-01", "wujiang-air-01", "wujiang-noise-01", "jiashan-air-01")
        .doesNotContain(
            "qingpu-noise-01", // PRIVATE
            "qingpu-water-dianshan-01", // CITIES
            "jiashan-water-taipu-01", // CITIES
            "qingpu-air-02", // PLANNED
            "jiashan-noise-01"); // PLANNED
    assertThat(list("/api/v1/public/readings/latest").stream().map(p -> p.get("pointId")))
        .allMatch(ids::contains);
  }

  @Test
  @DisplayName("history is hourly or daily of a public point; others are 404 alike, raw is 400")
  void historyOfPublicPointsOnly() {
    assertThat(
            api.http()
                .exchange(
                    HttpRequest.GET("/api/v1/public/points/qingpu-air-01/readings?interval=1d"))
                .code())
        .isEqualTo(200);
    for (String hidden : List.of("qingpu-noise-01", "qingpu-water-dianshan-01", "qingpu-air-02")) {
      assertThat(
              calls.failureStatus(HttpRequest.GET("/api/v1/public/points/" + hidden + "/readings")))
          .as(hidden)
          .isEqualTo(404);
    }
    HttpClientResponseException raw =
        calls.failure(HttpRequest.GET("/api/v1/public/points/qingpu-air-01/readings?interval=raw"));
    assertThat(raw.getStatus().getCode()).isEqualTo(400);
    assertThat(raw.getResponse().getContentType().orElseThrow().toString())
        .isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName("the public daily report has rows of public AIR points only, and cities")
  @SuppressWarnings("unchecked")
  void dailyReportOfPublicPoints() {
    Map<String, Object> report =
        api.http()
            .retrieve(
                HttpRequest.GET("/api/v1/public/reports/air/daily?date=2026-01-10"), Map.class);
    List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
    assertThat(rows.stream().filter(r -> "POINT".equals(r.get("scope"))).map(r -> r.get("id")))
        .contains("qingpu-air-01", "wujiang-air-01", "jiashan-air-01")
        .doesNotContain("qingpu-air-02", "wujiang-air-02", "jiashan-air-02");
    assertThat(rows.stream().map(r -> r.get("scope"))).contains("CITY", "CLUSTER");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                    "/api/v1/public/reports/air/daily?date=2026-01-10&point=wujiang-air-02")))
        .isEqualTo(404);
  }

  @Test
  @DisplayName("any origin may read it (CORS); the signed-in API is not opened to other origins")
  void corsOnThePublicPathsOnly() {
    HttpResponse<?> response =
        api.http()
            .exchange(
                HttpRequest.GET("/api/v1/public/points").header("Origin", "https://x.example"));
    assertThat(response.header("Access-Control-Allow-Origin")).isIn("*", "https://x.example");
    assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
    assertThat(response.header("Content-Security-Policy")).as("SecurityHeaders kept").isNotNull();
    HttpClientResponseException signedIn =
        calls.failure(
            HttpRequest.GET("/api/v1/cities")
                .bearerAuth(api.tokenOf("qingpu-viewer"))
                .header("Origin", "https://x.example"));
    assertThat(signedIn.getStatus().getCode()).isEqualTo(403);
    assertThat(signedIn.getResponse().header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  @DisplayName("over the limit an address gets 429 problem+json with Retry-After")
  void rateLimitedPerAddress() {
    PublicRateLimiter limiter = api.server.getApplicationContext().getBean(PublicRateLimiter.class);
    try {
      // the address's window used up in-process rather than by 500 requests
      while (limiter.acquire("127.0.0.1").isEmpty()) {}
      HttpClientResponseException limited = calls.failure(HttpRequest.GET("/api/v1/public/points"));
      assertThat(limited.getStatus().getCode()).isEqualTo(429);
      assertThat(limited.getResponse().getContentType().orElseThrow().toString())
          .isEqualTo("application/problem+json");
      assertThat(Integer.parseInt(limited.getResponse().header("Retry-After"))).isBetween(1, 60);
      assertThat(limited.getResponse().getBody(String.class).orElseThrow()).contains("try again");
    } finally {
      limiter.forget("127.0.0.1");
    }
  }
}
