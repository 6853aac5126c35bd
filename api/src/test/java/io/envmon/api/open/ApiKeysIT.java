package io.envmon.api.open;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** API keys of the public API: issued by the coordinator, limited per key, revoked at once. */
@WithRealInfrastructure
class ApiKeysIT {

  static ApiTestServer api;
  static ApiCalls calls;
  static String coordinator;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    coordinator = api.tokenOf("coordinator");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> issue(String name, int requestsPerMinute) {
    HttpResponse<Map> created =
        api.http()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/api-keys",
                        Map.of("name", name, "requestsPerMinute", requestsPerMinute))
                    .bearerAuth(coordinator),
                Map.class);
    assertThat(created.code()).isEqualTo(201);
    Map<String, Object> key = created.body();
    assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + key.get("id"));
    return key;
  }

  static MutableHttpRequest<?> withKey(String uri, Map<String, Object> key) {
    return HttpRequest.GET(uri).header("X-API-Key", (String) key.get("key"));
  }

  static String detail(HttpClientResponseException e) {
    assertThat(e.getResponse().getContentType().orElseThrow().toString())
        .isEqualTo("application/problem+json");
    return e.getResponse().getBody(String.class).orElseThrow();
  }

  @Test
  @DisplayName("the coordinator issues a key shown once, lists it without it, revokes it; audited")
  void coordinatorIssuesListsAndRevokes() {
    Map<String, Object> key = issue("Fudan air research group", 120);
    assertThat((String) key.get("key")).matches("envmon-" + key.get("id") + "\\.[A-Za-z0-9_-]{43}");
    assertThat(key)
        .containsEntry("requestsPerMinute", 120)
        .containsEntry("createdBy", "coordinator");

    Map<String, Object> listed = listedKey(key.get("id"));
    assertThat(listed).containsEntry("name", "Fudan air research group").doesNotContainKey("key");
    assertThat(listed.toString()).doesNotContain(((String) key.get("key")).split("\\.")[1]);

    assertThat(
            api.http()
                .exchange(
                    HttpRequest.DELETE("/api/v1/api-keys/" + key.get("id")).bearerAuth(coordinator))
                .code())
        .isEqualTo(204);
    assertThat(listedKey(key.get("id")))
        .containsKey("revokedAt")
        .containsEntry("revokedBy", "coordinator");
    assertThat(
            api
                .server
                .getApplicationContext()
                .getBean(AuditRepository.class)
                .findBySubjectOrderById("api-key:" + key.get("id"))
                .stream()
                .map(AuditRow::action))
        .containsExactly("api-key.issue", "api-key.revoke");
    assertThat(
            calls.failureStatus(
                HttpRequest.DELETE("/api/v1/api-keys/999999").bearerAuth(coordinator)))
        .isEqualTo(404);
  }

  private static Map<String, Object> listedKey(Object id) {
    return calls.getList(coordinator, "/api/v1/api-keys?size=1000").stream()
        .filter(k -> id.equals(k.get("id")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @DisplayName("the keys are listed a page at a time by id, a Link naming the next page")
  void keysArePaged() {
    issue("paged one", 10);
    issue("paged two", 10);
    Argument<List<Map<String, Object>>> page =
        Argument.listOf(Argument.mapOf(String.class, Object.class));
    var first =
        api.http()
            .exchange(HttpRequest.GET("/api/v1/api-keys?size=1").bearerAuth(coordinator), page);
    assertThat(first.body()).hasSize(1);
    assertThat(first.getHeaders().get("Link"))
        .isEqualTo("</api/v1/api-keys?page=1&size=1>; rel=\"next\"");
    var second =
        api.http()
            .exchange(
                HttpRequest.GET("/api/v1/api-keys?page=1&size=1").bearerAuth(coordinator), page);
    assertThat((Number) second.body().get(0).get("id"))
        .satisfies(
            id ->
                assertThat(id.longValue())
                    .isGreaterThan(((Number) first.body().get(0).get("id")).longValue()));
  }

  @Test
  @DisplayName("only the coordinator manages keys: bureau and viewer 403, no token 401")
  void onlyTheCoordinatorManagesKeys() {
    Map<String, Object> body = Map.of("name", "x", "requestsPerMinute", 10);
    String bureau = api.tokenOf("qingpu-bureau");
    assertThat(calls.failureStatus(HttpRequest.POST("/api/v1/api-keys", body).bearerAuth(bureau)))
        .isEqualTo(403);
    assertThat(calls.failureStatus(HttpRequest.GET("/api/v1/api-keys").bearerAuth(bureau)))
        .isEqualTo(403);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/api-keys").bearerAuth(api.tokenOf("wujiang-viewer"))))
        .isEqualTo(403);
    Map<String, Object> key = issue("kept", 10);
    assertThat(
            calls.failureStatus(
                HttpRequest.DELETE("/api/v1/api-keys/" + key.get("id")).bearerAuth(bureau)))
        .isEqualTo(403);
    assertThat(calls.failureStatus(HttpRequest.POST("/api/v1/api-keys", body))).isEqualTo(401);
    // a key is no sign-in: it does not open the key endpoints either
    assertThat(calls.failureStatus(withKey("/api/v1/api-keys", key))).isEqualTo(401);
    assertThat(listedKey(key.get("id"))).doesNotContainKey("revokedAt");
  }

  @Test
  @DisplayName("a key with no name or a limit out of 1-100000 is 400 with the field named")
  void badKeyRequests() {
    HttpClientResponseException zero =
        calls.failure(
            HttpRequest.POST("/api/v1/api-keys", Map.of("name", "x", "requestsPerMinute", 0))
                .bearerAuth(coordinator));
    assertThat(zero.getStatus().getCode()).isEqualTo(400);
    assertThat(detail(zero)).contains("requestsPerMinute");
    HttpClientResponseException noName =
        calls.failure(
            HttpRequest.POST("/api/v1/api-keys", Map.of("name", " ", "requestsPerMinute", 5))
                .bearerAuth(coordinator));
    assertThat(noName.getStatus().getCode()).isEqualTo(400);
    assertThat(detail(noName)).contains("name");
  }

  @Test
  @DisplayName(
      "a key's requests pass an address that used up its limit, and stop at the key's own with"
          + " 429 and Retry-After")
  void aKeyHasItsOwnLimit() {
    Map<String, Object> key = issue("small app", 3);
    PublicRateLimiter limiter = api.server.getApplicationContext().getBean(PublicRateLimiter.class);
    try {
      // the address's window used up in-process rather than by 500 requests
      while (limiter.acquire("127.0.0.1").isEmpty()) {}
      assertThat(calls.failureStatus(HttpRequest.GET("/api/v1/public/points"))).isEqualTo(429);
      assertThat(
              calls.failureStatus(
                  HttpRequest.GET("/api/v1/public/points").header("X-API-Key", "guessed")))
          .as("a refused key counts against its address")
          .isEqualTo(429);

      List<String> remaining =
          List.of("/api/v1/public/points", "/api/v1/public/readings/latest", "/sta/v1.1/Things")
              .stream()
              .map(uri -> api.http().exchange(withKey(uri, key), String.class))
              .peek(response -> assertThat(response.code()).isEqualTo(200))
              .map(response -> response.header(PublicAccessFilter.REMAINING))
              .toList();
      assertThat(remaining).containsExactly("2", "1", "0");

      HttpClientResponseException limited = calls.failure(withKey("/api/v1/public/points", key));
      assertThat(limited.getStatus().getCode()).isEqualTo(429);
      assertThat(Integer.parseInt(limited.getResponse().header("Retry-After"))).isBetween(1, 60);
      assertThat(detail(limited)).contains("3 requests per minute with API key " + key.get("id"));
    } finally {
      limiter.forget("127.0.0.1");
      limiter.forget("api-key:" + key.get("id"));
    }
  }

  @Test
  @DisplayName("a revoked, unknown or malformed key is 401 with the reason, not read as no key")
  void refusedKeysAre401() {
    Map<String, Object> key = issue("revoked soon", 100);
    assertThat(api.http().exchange(withKey("/sta/v1.1/Things", key)).code()).isEqualTo(200);
    api.http()
        .exchange(HttpRequest.DELETE("/api/v1/api-keys/" + key.get("id")).bearerAuth(coordinator));
    for (String uri : List.of("/api/v1/public/points", "/sta/v1.1/Things")) {
      HttpClientResponseException revoked = calls.failure(withKey(uri, key));
      assertThat(revoked.getStatus().getCode()).as(uri).isEqualTo(401);
      assertThat(detail(revoked)).contains("API key " + key.get("id") + " was revoked");
      assertThat(revoked.getResponse().header("WWW-Authenticate"))
          .isEqualTo("ApiKey header=\"X-API-Key\"");
    }

    Map<String, Object> live = issue("live", 100);
    // the id of a key in force with another secret
    String wrongSecret = "envmon-" + live.get("id") + "." + "A".repeat(43);
    HttpClientResponseException unknown =
        calls.failure(HttpRequest.GET("/api/v1/public/points").header("X-API-Key", wrongSecret));
    assertThat(unknown.getStatus().getCode()).isEqualTo(401);
    assertThat(detail(unknown)).contains("unknown API key");

    HttpClientResponseException malformed =
        calls.failure(HttpRequest.GET("/api/v1/public/points").header("X-API-Key", "letmein"));
    assertThat(malformed.getStatus().getCode()).isEqualTo(401);
    assertThat(detail(malformed)).contains("not an envmon API key");
  }

  @Test
  @DisplayName("a key reads what the public reads: no PRIVATE or CITIES point, no signed-in path")
  void aKeyOpensNothingElse() {
    Map<String, Object> key = issue("curious", 100);
    List<Object> ids =
        api
            .http()
            .retrieve(
                withKey("/api/v1/public/points?city=qingpu", key),
                Argument.listOf(Argument.mapOf(String.class, Object.class)))
            .stream()
            .map(p -> p.get("id"))
            .toList();
    assertThat(ids)
        .contains("qingpu-air-01")
        .doesNotContain("qingpu-noise-01", "qingpu-water-dianshan-01"); // PRIVATE, CITIES
    assertThat(calls.failureStatus(withKey("/api/v1/public/points/qingpu-noise-01/readings", key)))
        .isEqualTo(404);
    assertThat(calls.failureStatus(withKey("/sta/v1.1/Things('qingpu-water-dianshan-01')", key)))
        .isEqualTo(404);
    for (String signedIn :
        List.of(
            "/api/v1/points",
            "/api/v1/points/qingpu-noise-01",
            "/api/v1/readings/latest",
            "/api/v1/export/points")) {
      assertThat(calls.failureStatus(withKey(signedIn, key))).as(signedIn).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("browsers may send X-API-Key to the public paths (CORS preflight), not elsewhere")
  void browsersMaySendTheKeyToThePublicPathsOnly() {
    for (String uri : List.of("/api/v1/public/points", "/sta/v1.1/Things")) {
      HttpResponse<?> preflight = api.http().exchange(preflight(uri));
      assertThat(preflight.code()).as(uri).isEqualTo(200);
      assertThat(preflight.header("Access-Control-Allow-Headers"))
          .as(uri)
          .containsIgnoringCase("X-API-Key");
    }
    HttpClientResponseException signedIn = calls.failure(preflight("/api/v1/points"));
    assertThat(signedIn.getStatus().getCode()).isEqualTo(403);
    assertThat(signedIn.getResponse().header("Access-Control-Allow-Headers")).isNull();
  }

  private static MutableHttpRequest<?> preflight(String uri) {
    return HttpRequest.OPTIONS(uri)
        .header("Origin", "https://research.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "x-api-key");
  }
}
