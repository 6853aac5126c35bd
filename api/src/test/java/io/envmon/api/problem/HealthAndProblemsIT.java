package io.envmon.api.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.envmon.api.ApiTestServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@WithRealInfrastructure
class HealthAndProblemsIT {

  static ApiTestServer api;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
  }

  @Test
  @DisplayName("/health answers UP without a token")
  void healthIsUpWithoutToken() {
    HttpResponse<Map> response = api.http().exchange(HttpRequest.GET("/health"), Map.class);
    assertThat(response.code()).isEqualTo(200);
    assertThat(response.body()).containsEntry("status", "UP");
  }

  @Test
  @DisplayName(
      "every answer carries the browser security headers; the policy allows no inline script or"
          + " style, Swagger UI's only by its hash")
  void securityHeaders() {
    for (String path : List.of("/", "/app.js", "/health")) {
      HttpResponse<String> response = api.http().exchange(HttpRequest.GET(path), String.class);
      assertThat(response.header("Content-Security-Policy"))
          .as(path)
          .contains("default-src 'none'", "script-src 'self';", "style-src 'self';")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe");
      assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
    }
    HttpClientResponseException unauthorised =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () -> api.http().exchange(HttpRequest.GET("/api/v1/points"), Map.class));
    assertThat(unauthorised.getResponse().header("Content-Security-Policy"))
        .startsWith("default-src 'none'");
    HttpResponse<String> swagger =
        api.http().exchange(HttpRequest.GET("/swagger-ui/index.html"), String.class);
    assertThat(swagger.header("Content-Security-Policy"))
        .containsPattern("script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}';")
        .doesNotContain("script-src 'self' 'unsafe");
  }

  @Test
  @DisplayName("an API call without a token is 401 as problem+json")
  void callWithoutTokenIsUnauthorizedProblem() {
    HttpClientResponseException e =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () -> api.http().exchange(HttpRequest.GET("/api/v1/points"), Map.class));
    assertThat(e.getStatus().getCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("an unknown point is 404 problem+json naming it")
  void unknownPointIsNotFoundProblem() {
    String token = api.tokenOf("qingpu-viewer");
    HttpClientResponseException e =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () ->
                api.http()
                    .exchange(
                        HttpRequest.GET("/api/v1/points/no-such-point").bearerAuth(token),
                        Map.class));
    assertThat(e.getStatus().getCode()).isEqualTo(404);
    assertThat(e.getResponse().getContentType())
        .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("application/problem+json"));
    Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
    assertThat(problem.get("status")).isEqualTo(404);
    assertThat((String) problem.get("detail")).contains("no-such-point");
  }

  @Test
  @DisplayName("malformed JSON in a body is a 400 problem")
  void malformedJsonIsBadRequestProblem() {
    String token = api.tokenOf("qingpu-bureau");
    HttpClientResponseException e =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () ->
                api.http()
                    .exchange(
                        HttpRequest.POST("/api/v1/points", "{\"id\": ")
                            .contentType(MediaType.APPLICATION_JSON_TYPE)
                            .bearerAuth(token),
                        Map.class));
    assertThat(e.getStatus().getCode()).isEqualTo(400);
    Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
    assertThat(problem.get("status")).isEqualTo(400);
    assertThat(problem.get("title")).isNotNull();
  }

  @Test
  @DisplayName("an invalid point is a 400 problem listing each wrong field")
  void invalidPointListsFieldErrors() {
    String token = api.tokenOf("qingpu-bureau");
    HttpClientResponseException e =
        catchThrowableOfType(
            HttpClientResponseException.class,
            () ->
                api.http()
                    .exchange(
                        HttpRequest.POST(
                                "/api/v1/points",
                                Map.of(
                                    "id", "qingpu-air-bad",
                                    "cityId", "qingpu",
                                    "kind", "AIR",
                                    "name", "bad",
                                    "lat", 123.0,
                                    "lon", 121.0,
                                    "sharing", "CLUSTER"))
                            .bearerAuth(token),
                        Map.class));
    assertThat(e.getStatus().getCode()).isEqualTo(400);
    Map<?, ?> problem = e.getResponse().getBody(Map.class).orElseThrow();
    assertThat((List<?>) problem.get("errors"))
        .anySatisfy(error -> assertThat(((Map<?, ?>) error).get("field")).isEqualTo("lat"));
  }

  @Test
  @DisplayName("the OpenAPI document and its browsable UI are served without a token")
  void openApiDocumentAndUiAreServed() {
    String document = api.http().retrieve(HttpRequest.GET("/swagger/envmon-api-1.yml"));
    assertThat(document)
        .contains(
            "/api/v1/points/{id}/readings", "/api/v1/sharing-ratios", "/api/v1/reports/air/daily");
    String ui = api.http().retrieve(HttpRequest.GET("/swagger-ui/index.html"));
    assertThat(ui).contains("/swagger/envmon-api-1.yml");
  }

  @Test
  @DisplayName("Prometheus metrics include the HTTP server's request timings")
  void prometheusMetricsAreServed() {
    api.http().exchange(HttpRequest.GET("/health"), Map.class);
    String metrics = api.http().retrieve(HttpRequest.GET("/prometheus"));
    assertThat(metrics).contains("http_server_requests_seconds", "jvm_memory_used_bytes");
  }

  @Test
  @DisplayName("a body over 128 KiB (micronaut.server.max-request-buffer-size) is refused with 413")
  void oversizedBodyIsRefused() {
    String token = api.tokenOf("qingpu-bureau");
    String huge = "{\"name\":\"" + "x".repeat(140_000) + "\"}";
    assertThat(
            new io.envmon.api.ApiCalls(api)
                .failureStatus(
                    HttpRequest.POST("/api/v1/points", huge)
                        .contentType(MediaType.APPLICATION_JSON_TYPE)
                        .bearerAuth(token)))
        .isEqualTo(413);
  }
}
