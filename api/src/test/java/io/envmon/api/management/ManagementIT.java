package io.envmon.api.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.SseStream;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Users and cities managed through the API: who may, bcrypt hashes, audit rows, problems. */
@WithRealInfrastructure
class ManagementIT {

  static ApiTestServer api;
  static ApiCalls calls;
  static final String run = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
  }

  @Test
  @DisplayName(
      "a bureau creates a viewer of its city who can log in; the hash is bcrypt; the change is"
          + " audited; other cities and the coordinator role are out of its reach")
  void bureauManagesUsersOfItsCity() throws Exception {
    String bureau = api.tokenOf("qingpu-bureau");
    String username = "qp-viewer-" + run;
    String password = "a-long-password-" + run;
    assertThat(
            status(
                HttpRequest.POST("/api/v1/users", user(username, password, "viewer", "qingpu")),
                bureau))
        .isEqualTo(201);
    Map<?, ?> login =
        api.http()
            .retrieve(
                HttpRequest.POST(
                    "/api/v1/login", Map.of("username", username, "password", password)),
                Map.class);
    assertThat(login.get("role")).isEqualTo("viewer");
    assertThat(login.get("city")).isEqualTo("qingpu");
    assertThat(query("SELECT password_hash FROM app_user WHERE username = ?", username))
        .singleElement()
        .satisfies(hash -> assertThat(hash).startsWith("$2a$04$").doesNotContain(password));
    assertThat(
            query(
                "SELECT actor || ' ' || action || ' ' || detail FROM audit_log WHERE subject = ?",
                "user:" + username))
        .containsExactly("qingpu-bureau user.create viewer qingpu");

    assertThat(calls.getList(bureau, "/api/v1/users").stream().map(u -> u.get("username")).toList())
        .contains(username, "qingpu-emergency")
        .doesNotContain("wujiang-viewer", "coordinator");
    assertThat(calls.getList(bureau, "/api/v1/users"))
        .allSatisfy(u -> assertThat(u).doesNotContainKey("passwordHash"));

    // another city, the coordinator role, another city's user: not for a bureau
    assertThat(
            status(
                HttpRequest.POST("/api/v1/users", user("x-" + run, password, "viewer", "wujiang")),
                bureau))
        .isEqualTo(403);
    assertThat(
            status(
                HttpRequest.POST("/api/v1/users", user("y-" + run, password, "coordinator", null)),
                bureau))
        .isEqualTo(403);
    assertThat(status(HttpRequest.DELETE("/api/v1/users/wujiang-viewer"), bureau)).isEqualTo(404);
    assertThat(status(HttpRequest.DELETE("/api/v1/users/coordinator"), bureau)).isEqualTo(404);
    // emergency and viewer users manage nobody
    assertThat(status(HttpRequest.GET("/api/v1/users"), api.tokenOf("qingpu-emergency")))
        .isEqualTo(403);
    assertThat(
            status(
                HttpRequest.POST("/api/v1/users", user("z-" + run, password, "viewer", "qingpu")),
                api.tokenOf("qingpu-viewer")))
        .isEqualTo(403);

    // a new password replaces the old one; then the user is deleted and cannot log in
    String newPassword = "another-long-password-" + run;
    assertThat(
            status(
                HttpRequest.PUT(
                    "/api/v1/users/" + username, user(null, newPassword, "emergency", "qingpu")),
                bureau))
        .isEqualTo(200);
    assertThat(
            status(
                HttpRequest.POST(
                    "/api/v1/login", Map.of("username", username, "password", password)),
                null))
        .isEqualTo(401);
    assertThat(
            api.http()
                .retrieve(
                    HttpRequest.POST(
                        "/api/v1/login", Map.of("username", username, "password", newPassword)),
                    Map.class)
                .get("role"))
        .isEqualTo("emergency");
    assertThat(status(HttpRequest.DELETE("/api/v1/users/" + username), bureau)).isEqualTo(204);
    assertThat(status(HttpRequest.GET("/api/v1/users/" + username), bureau)).isEqualTo(404);
    assertThat(
            query("SELECT action FROM audit_log WHERE subject = ? ORDER BY id", "user:" + username))
        .containsExactly("user.create", "user.update", "user.delete");
  }

  @Test
  @DisplayName("bad users are 400 problem+json naming the fields; a taken name is 409")
  void badUsers() {
    String coordinator = api.tokenOf("coordinator");
    HttpClientResponseException bad =
        calls.failure(
            HttpRequest.POST("/api/v1/users", user("Bad Name!", "short", "viewer", "qingpu"))
                .bearerAuth(coordinator));
    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(bad.getResponse().getContentType().map(Object::toString))
        .hasValue("application/problem+json");
    assertThat(bad.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
        .contains("username", "password");
    HttpClientResponseException badRole =
        calls.failure(
            HttpRequest.POST(
                    "/api/v1/users", user("r-" + run, "a-long-password", "admin", "qingpu"))
                .bearerAuth(coordinator));
    assertThat(badRole.getStatus().getCode()).isEqualTo(400);
    assertThat(badRole.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
        .contains("role");
    assertThat(
            status(
                HttpRequest.POST(
                    "/api/v1/users", user("c-" + run, "a-long-password", "viewer", null)),
                coordinator))
        .isEqualTo(400);
    assertThat(
            status(
                HttpRequest.POST(
                    "/api/v1/users", user("qingpu-viewer", "a-long-password", "viewer", "qingpu")),
                coordinator))
        .isEqualTo(409);
    assertThat(status(HttpRequest.DELETE("/api/v1/users/coordinator"), coordinator)).isEqualTo(409);
  }

  @Test
  @DisplayName(
      "only the coordinator creates and changes cities; a bad time zone or neighbour is 400;"
          + " the change is audited and listed")
  void coordinatorManagesCities() throws Exception {
    String id = "city-" + run;
    Map<String, Object> city = new HashMap<>();
    city.put("id", id);
    city.put("clusterId", "yrd-demo");
    city.put("name", "测试");
    city.put("nameEn", "Test");
    city.put("timeZone", "Asia/Shanghai");
    city.put("neighbours", List.of("qingpu"));
    assertThat(status(HttpRequest.POST("/api/v1/cities", city), api.tokenOf("qingpu-bureau")))
        .isEqualTo(403);
    Map<String, Object> badCity = new HashMap<>(city);
    badCity.put("timeZone", "Mars/Olympus");
    badCity.put("neighbours", List.of("atlantis"));
    HttpClientResponseException bad =
        calls.failure(
            HttpRequest.POST("/api/v1/cities", badCity).bearerAuth(api.tokenOf("coordinator")));
    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(bad.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
        .contains("timeZone", "neighbours");

    assertThat(status(HttpRequest.POST("/api/v1/cities", city), api.tokenOf("coordinator")))
        .isEqualTo(201);
    assertThat(status(HttpRequest.POST("/api/v1/cities", city), api.tokenOf("coordinator")))
        .isEqualTo(409);
    city.put("nameEn", "Test City");
    assertThat(status(HttpRequest.PUT("/api/v1/cities/" + id, city), api.tokenOf("coordinator")))
        .isEqualTo(200);
    assertThat(calls.getList(api.tokenOf("qingpu-viewer"), "/api/v1/cities"))
        .anySatisfy(
            c -> assertThat(c).containsEntry("id", id).containsEntry("nameEn", "Test City"));
    assertThat(
            status(
                HttpRequest.PUT("/api/v1/cities/no-such-city", city), api.tokenOf("coordinator")))
        .isEqualTo(404);
    assertThat(query("SELECT action FROM audit_log WHERE subject = ? ORDER BY id", "city:" + id))
        .containsExactly("city.create", "city.update");
  }

  @Test
  @DisplayName(
      "a city's noise night window is 22:00-06:00 by default, may move but must last 8 hours"
          + " (HH:mm), and is listed by GET /cities")
  void cityNightWindow() throws Exception {
    String id = "night-" + run;
    Map<String, Object> city = new HashMap<>();
    city.put("id", id);
    city.put("clusterId", "yrd-demo");
    city.put("name", "夜间");
    city.put("timeZone", "Asia/Shanghai");
    assertThat(status(HttpRequest.POST("/api/v1/cities", city), api.tokenOf("coordinator")))
        .isEqualTo(201);
    assertThat(calls.getList(api.tokenOf("coordinator"), "/api/v1/cities"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .containsEntry("id", id)
                    .containsEntry("nightStart", "22:00")
                    .containsEntry("nightEnd", "06:00"));

    Map<String, Object> nineHours = new HashMap<>(city);
    nineHours.put("nightStart", "22:00");
    nineHours.put("nightEnd", "07:00");
    HttpClientResponseException bad =
        calls.failure(
            HttpRequest.PUT("/api/v1/cities/" + id, nineHours)
                .bearerAuth(api.tokenOf("coordinator")));
    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(bad.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
        .contains("nightEnd", "exactly 8 hours");
    Map<String, Object> notHhMm = new HashMap<>(city);
    notHhMm.put("nightStart", "23h");
    notHhMm.put("nightEnd", "07:00");
    assertThat(
            calls
                .failure(
                    HttpRequest.PUT("/api/v1/cities/" + id, notHhMm)
                        .bearerAuth(api.tokenOf("coordinator")))
                .getResponse()
                .getBody(Map.class)
                .orElseThrow()
                .get("errors")
                .toString())
        .contains("is not HH:mm");

    city.put("nightStart", "23:00");
    city.put("nightEnd", "07:00");
    assertThat(status(HttpRequest.PUT("/api/v1/cities/" + id, city), api.tokenOf("coordinator")))
        .isEqualTo(200);
    assertThat(calls.getList(api.tokenOf("coordinator"), "/api/v1/cities"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .containsEntry("id", id)
                    .containsEntry("nightStart", "23:00")
                    .containsEntry("nightEnd", "07:00"));
  }

  @Test
  @DisplayName(
      "a user's tokens stop working within seconds when he is demoted, gets a new password or is"
          + " deleted")
  void tokensDoNotOutliveTheirUser() throws Exception {
    String bureau = api.tokenOf("jiashan-bureau");
    String username = "js-revoked-" + run;
    String password = "a-long-password-" + run;
    assertThat(
            status(
                HttpRequest.POST("/api/v1/users", user(username, password, "emergency", "jiashan")),
                bureau))
        .isEqualTo(201);
    String token = login(username, password);
    assertThat(status(HttpRequest.GET("/api/v1/alerts"), token)).isEqualTo(200);

    // demoted: the emergency token no longer opens anything, a fresh viewer token does
    assertThat(
            status(
                HttpRequest.PUT("/api/v1/users/" + username, user(null, null, "viewer", "jiashan")),
                bureau))
        .isEqualTo(200);
    awaitStatus(token, 401);
    String viewerToken = login(username, password);
    assertThat(status(HttpRequest.GET("/api/v1/alerts"), viewerToken)).isEqualTo(200);

    // a new password: tokens issued under the old one stop
    String newPassword = "another-long-password-" + run;
    assertThat(
            status(
                HttpRequest.PUT(
                    "/api/v1/users/" + username, user(null, newPassword, "viewer", "jiashan")),
                bureau))
        .isEqualTo(200);
    awaitStatus(viewerToken, 401);
    String lastToken = login(username, newPassword);
    assertThat(status(HttpRequest.GET("/api/v1/alerts"), lastToken)).isEqualTo(200);

    // deleted: the alert stream he had open ends as well
    try (SseStream stream = SseStream.open(api, lastToken, null)) {
      assertThat(status(HttpRequest.DELETE("/api/v1/users/" + username), bureau)).isEqualTo(204);
      awaitStatus(lastToken, 401);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(stream::ended);
    }
  }

  private static String login(String username, String password) {
    return (String)
        api.http()
            .retrieve(
                HttpRequest.POST(
                    "/api/v1/login", Map.of("username", username, "password", password)),
                Map.class)
            .get("access_token");
  }

  /** Within the recheck interval (2 s) and a margin, the token's requests answer {@code code}. */
  private static void awaitStatus(String token, int code) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(status(HttpRequest.GET("/api/v1/alerts"), token)).isEqualTo(code));
  }

  private static Map<String, Object> user(
      String username, String password, String role, String city) {
    Map<String, Object> body = new HashMap<>();
    if (username != null) {
      body.put("username", username);
    }
    body.put("password", password);
    body.put("role", role);
    if (city != null) {
      body.put("city", city);
    }
    return body;
  }

  private static int status(MutableHttpRequest<?> request, String token) {
    try {
      MutableHttpRequest<?> withToken = token == null ? request : request.bearerAuth(token);
      return api.http().exchange(withToken).code();
    } catch (HttpClientResponseException e) {
      return e.getStatus().getCode();
    }
  }

  private static List<String> query(String sql, String parameter) throws Exception {
    var infrastructure = api.infrastructure;
    try (Connection connection =
            DriverManager.getConnection(
                infrastructure.postgresJdbcUrl()
                    + (infrastructure.postgresJdbcUrl().contains("?") ? "&" : "?")
                    + "currentSchema="
                    + api.postgresSchema,
                infrastructure.postgresUser(),
                infrastructure.postgresPassword());
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      List<String> rows = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(result.getString(1));
        }
      }
      return rows;
    }
  }
}
