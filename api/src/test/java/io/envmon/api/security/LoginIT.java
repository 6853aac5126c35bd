package io.envmon.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@WithRealInfrastructure
class LoginIT {

  static ApiTestServer api;
  static ApiCalls calls;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
  }

  @Test
  @DisplayName("a demo user logs in and gets a bearer token naming its role and city")
  void demoUserGetsToken() {
    Map<?, ?> response =
        api.http()
            .retrieve(
                HttpRequest.POST(
                    "/api/v1/login",
                    Map.of("username", "jiashan-emergency", "password", "demo-jiashan-emergency")),
                Map.class);
    assertThat(response.get("token_type")).isEqualTo("Bearer");
    assertThat(response.get("role")).isEqualTo("emergency");
    assertThat(response.get("city")).isEqualTo("jiashan");
    assertThat((String) response.get("access_token")).contains(".");
  }

  @Test
  @DisplayName("a wrong password is 401")
  void wrongPasswordIsUnauthorized() {
    assertThat(
            calls.failureStatus(
                HttpRequest.POST(
                    "/api/v1/login", Map.of("username", "qingpu-viewer", "password", "guess"))))
        .isEqualTo(401);
  }

  @Test
  @DisplayName(
      "after five failed logins for a name from one address, even the right password from there is refused with 429")
  void failedLoginsAreRateLimited() {
    for (int i = 0; i < 5; i++) {
      assertThat(
              calls.failureStatus(
                  HttpRequest.POST(
                      "/api/v1/login",
                      Map.of("username", "jiashan-viewer", "password", "guess" + i))))
          .isEqualTo(401);
    }
    var refused =
        calls.failure(
            HttpRequest.POST(
                "/api/v1/login",
                Map.of("username", "jiashan-viewer", "password", "demo-jiashan-viewer")));
    assertThat(refused.getStatus().getCode()).isEqualTo(429);
    assertThat((String) refused.getResponse().getBody(Map.class).orElseThrow().get("detail"))
        .contains("try again");
  }

  @Test
  @DisplayName("a forged token is 401")
  void forgedTokenIsUnauthorized() {
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/cities")
                    .bearerAuth(
                        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb29yZGluYXRvciIsInJvbGVzIjpbImNvb3JkaW5hdG9yIl19.c2lnbmF0dXJl")))
        .isEqualTo(401);
  }
}
