package io.envmon.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who sees which points (demo/cluster.json), and who may change them. */
@WithRealInfrastructure
@SuppressWarnings("unchecked")
class PointsAccessIT {

  static ApiTestServer api;
  static ApiCalls calls;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
  }

  @Test
  @DisplayName("a viewer of Qingpu gets 404 for Wujiang's PRIVATE point, as if it did not exist")
  void viewerOfOtherCityDoesNotSeePrivatePoint() {
    String token = api.tokenOf("qingpu-viewer");
    assertThat(
            calls.failureStatus(HttpRequest.GET("/api/v1/points/wujiang-air-02").bearerAuth(token)))
        .isEqualTo(404);
    assertThat(
            calls.failureStatus(HttpRequest.GET("/api/v1/points/no-such-point").bearerAuth(token)))
        .isEqualTo(404);
  }

  @Test
  @DisplayName("a viewer of Qingpu gets 404 for the readings of Wujiang's PRIVATE point")
  void viewerOfOtherCityDoesNotSeePrivateReadings() {
    String token = api.tokenOf("qingpu-viewer");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/points/wujiang-air-02/readings").bearerAuth(token)))
        .isEqualTo(404);
  }

  @Test
  @DisplayName("a viewer of Qingpu sees Wujiang's CLUSTER point")
  void viewerSeesOtherCitysClusterPoint() {
    Map<String, Object> point =
        calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/points/wujiang-water-taipu-02");
    assertThat(point.get("cityId")).isEqualTo("wujiang");
    assertThat(point.get("river")).isEqualTo("taipu");
    assertThat((List<Object>) point.get("downstream"))
        .containsExactly("qingpu-water-taipu-01", "jiashan-water-taipu-01");
  }

  @Test
  @DisplayName("a CITIES point is seen by the cities it names and by no other")
  void citiesPointOnlyForNamedCities() {
    assertThat(
            calls.getObject(
                api.tokenOf("wujiang-viewer"), "/api/v1/points/qingpu-water-dianshan-01"))
        .containsEntry("sharing", "CITIES");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/points/qingpu-water-dianshan-01")
                    .bearerAuth(api.tokenOf("jiashan-viewer"))))
        .isEqualTo(404);
  }

  @Test
  @DisplayName("the point list holds all of the own city and only the shared points of others")
  void listHoldsOwnAndSharedPoints() {
    List<String> ids =
        calls.getList(api.tokenOf("jiashan-viewer"), "/api/v1/points").stream()
            .map(p -> (String) p.get("id"))
            .toList();
    assertThat(ids)
        .contains("jiashan-air-02", "jiashan-noise-01", "wujiang-air-01", "qingpu-air-02")
        .doesNotContain("wujiang-air-02", "qingpu-noise-01", "qingpu-water-dianshan-01");
    List<Map<String, Object>> wujiangWater =
        calls.getList(api.tokenOf("jiashan-viewer"), "/api/v1/points?city=wujiang&kind=WATER");
    assertThat(wujiangWater)
        .extracting(p -> p.get("id"))
        .containsExactlyInAnyOrder("wujiang-water-taipu-01", "wujiang-water-taipu-02");
  }

  @Test
  @DisplayName("the coordinator sees every point of every city")
  void coordinatorSeesEverything() {
    assertThat(calls.getList(api.tokenOf("coordinator"), "/api/v1/points"))
        .extracting(p -> p.get("id"))
        .contains("wujiang-air-02", "qingpu-noise-01", "jiashan-air-02");
  }

  @Test
  @DisplayName("every city of the cluster is listed with its time zone and neighbours")
  void citiesAreListed() {
    List<Map<String, Object>> cities =
        calls.getList(api.tokenOf("wujiang-viewer"), "/api/v1/cities");
    // ManagementIT may have added a city to this JVM's shared server: the demo cities, in id order
    assertThat(cities)
        .extracting(c -> (String) c.get("id"))
        .containsSubsequence("jiashan", "qingpu", "wujiang")
        .isSorted();
    assertThat(cities)
        .filteredOn(c -> c.get("id").equals("jiashan"))
        .singleElement()
        .satisfies(c -> assertThat(c).containsEntry("timeZone", "Asia/Shanghai"));
  }

  @Test
  @DisplayName("a bureau cannot create a point in another city: 403")
  void bureauCannotCreateInOtherCity() {
    assertThat(
            calls.failureStatus(
                HttpRequest.POST("/api/v1/points", airPoint("wujiang-air-intruder", "wujiang"))
                    .bearerAuth(api.tokenOf("qingpu-bureau"))))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("a viewer cannot create a point even in its own city: 403")
  void viewerCannotCreate() {
    assertThat(
            calls.failureStatus(
                HttpRequest.POST("/api/v1/points", airPoint("qingpu-air-by-viewer", "qingpu"))
                    .bearerAuth(api.tokenOf("qingpu-viewer"))))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("a bureau creates, changes and decommissions a point of its own city")
  void bureauManagesOwnPoint() {
    String token = api.tokenOf("qingpu-bureau");
    Map<String, Object> created =
        api.http()
            .retrieve(
                HttpRequest.POST("/api/v1/points", airPoint("qingpu-air-lifecycle", "qingpu"))
                    .bearerAuth(token),
                Map.class);
    assertThat(created).containsEntry("status", "PLANNED").containsEntry("sharing", "CLUSTER");

    Map<String, Object> changed =
        new java.util.HashMap<>(airPoint("qingpu-air-lifecycle", "qingpu"));
    changed.put("status", "ACTIVE");
    changed.put("name", "renamed");
    Map<?, ?> updated =
        api.http()
            .retrieve(
                HttpRequest.PUT("/api/v1/points/qingpu-air-lifecycle", changed).bearerAuth(token),
                Map.class);
    assertThat(updated.get("name")).isEqualTo("renamed");
    assertThat(updated.get("status")).isEqualTo("ACTIVE");

    Map<?, ?> decommissioned =
        api.http()
            .retrieve(
                HttpRequest.DELETE("/api/v1/points/qingpu-air-lifecycle").bearerAuth(token),
                Map.class);
    assertThat(decommissioned.get("status")).isEqualTo("DECOMMISSIONED");
    assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/points/qingpu-air-lifecycle"))
        .containsEntry("status", "DECOMMISSIONED");
    assertThat(auditOf("qingpu-air-lifecycle"))
        .containsExactly(
            "qingpu-bureau point.create",
            "qingpu-bureau point.update",
            "qingpu-bureau point.decommission");
  }

  @Test
  @DisplayName("a point keeps its kind: changing it is a 400 naming kind")
  void kindCannotChange() {
    Map<String, Object> body = new java.util.HashMap<>(airPoint("qingpu-noise-01", "qingpu"));
    body.put("kind", "AIR");
    var failure =
        calls.failure(
            HttpRequest.PUT("/api/v1/points/qingpu-noise-01", body)
                .bearerAuth(api.tokenOf("qingpu-bureau")));
    assertThat(failure.getStatus().getCode()).isEqualTo(400);
    Map<?, ?> problem = failure.getResponse().getBody(Map.class).orElseThrow();
    assertThat(((Map<?, ?>) ((List<?>) problem.get("errors")).get(0)).get("field"))
        .isEqualTo("kind");
  }

  static List<String> auditOf(String pointId) {
    var infrastructure = api.infrastructure;
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(
                infrastructure.postgresJdbcUrl(),
                infrastructure.postgresUser(),
                infrastructure.postgresPassword());
        java.sql.PreparedStatement select =
            connection.prepareStatement(
                "SELECT actor, action FROM "
                    + api.postgresSchema
                    + ".audit_log WHERE subject = ? ORDER BY id")) {
      select.setString(1, pointId);
      List<String> rows = new java.util.ArrayList<>();
      try (java.sql.ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(result.getString("actor") + " " + result.getString("action"));
        }
      }
      return rows;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("a second point with a taken id is 409")
  void duplicateIdConflicts() {
    assertThat(
            calls.failureStatus(
                HttpRequest.POST("/api/v1/points", airPoint("qingpu-air-01", "qingpu"))
                    .bearerAuth(api.tokenOf("qingpu-bureau"))))
        .isEqualTo(409);
  }

  @Test
  @DisplayName("a WATER point without river and target class names both fields")
  void waterPointNeedsItsAttributes() {
    Map<String, Object> water = new java.util.HashMap<>(airPoint("qingpu-water-new", "qingpu"));
    water.put("kind", "WATER");
    var failure =
        calls.failure(
            HttpRequest.POST("/api/v1/points", water).bearerAuth(api.tokenOf("coordinator")));
    assertThat(failure.getStatus().getCode()).isEqualTo(400);
    Map<?, ?> problem = failure.getResponse().getBody(Map.class).orElseThrow();
    List<String> fields =
        ((List<?>) problem.get("errors"))
            .stream().map(e -> (String) ((Map<?, ?>) e).get("field")).toList();
    assertThat(fields).contains("river", "targetClass", "important");
  }

  @Test
  @DisplayName("a bureau cannot change another city's shared point: 403")
  void bureauCannotChangeOtherCitysPoint() {
    Map<String, Object> body = new java.util.HashMap<>(airPoint("wujiang-air-01", "wujiang"));
    assertThat(
            calls.failureStatus(
                HttpRequest.PUT("/api/v1/points/wujiang-air-01", body)
                    .bearerAuth(api.tokenOf("qingpu-bureau"))))
        .isEqualTo(403);
  }

  static Map<String, Object> airPoint(String id, String city) {
    return Map.of(
        "id",
        id,
        "cityId",
        city,
        "kind",
        "AIR",
        "name",
        "test station " + id,
        "lat",
        31.1,
        "lon",
        121.0,
        "sharing",
        "CLUSTER");
  }
}
