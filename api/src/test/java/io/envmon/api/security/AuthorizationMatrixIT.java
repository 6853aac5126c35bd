package io.envmon.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.AlertProducer;
import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization matrix: each role (coordinator; bureau, emergency, viewer of the point's own
 * city, Wujiang, and of another city, Qingpu) × the point's scope (PRIVATE, CLUSTER, CITIES naming
 * Qingpu, CITIES naming only Jiashan) × every endpoint, each cell asserting the exact answer. The
 * expected answers are derived from two rules written out here (who may see, who may change), not
 * read from the server. Points and alerts are made for the run; the summary is printed at the end.
 */
@WithRealInfrastructure
class AuthorizationMatrixIT {

  enum Scope {
    PRIVATE,
    CLUSTER,
    CITIES_NAMING,
    CITIES_NOT_NAMING
  }

  /** A user and its relation to the points' city (Wujiang). */
  enum Who {
    COORDINATOR("coordinator"),
    OWN_BUREAU("wujiang-bureau"),
    OWN_EMERGENCY("wujiang-emergency"),
    OWN_VIEWER("wujiang-viewer"),
    OTHER_BUREAU("qingpu-bureau"),
    OTHER_EMERGENCY("qingpu-emergency"),
    OTHER_VIEWER("qingpu-viewer");

    final String username;

    Who(String username) {
      this.username = username;
    }

    boolean own() {
      return name().startsWith("OWN");
    }

    boolean sees(Scope scope) {
      return this == COORDINATOR || own() || scope == Scope.CLUSTER || scope == Scope.CITIES_NAMING;
    }

    boolean changesPoints() {
      return this == COORDINATOR || this == OWN_BUREAU;
    }

    boolean acknowledges() {
      return this == COORDINATOR || this == OWN_BUREAU || this == OWN_EMERGENCY;
    }

    /** The point's city's users and the coordinator: raw values and review marks. */
    boolean ownsData() {
      return this == COORDINATOR || own();
    }

    boolean managesWebhooks() {
      return changesPoints();
    }
  }

  static final String CITY = "wujiang";
  static ApiTestServer api;
  static ApiCalls calls;
  static AlertProducer producer;
  static final String run = UUID.randomUUID().toString().substring(0, 6);
  static final Map<Who, String> tokens = new HashMap<>();
  static final Map<String, String> alertIds = new ConcurrentHashMap<>();
  static final Map<Who, List<String>> streams = new ConcurrentHashMap<>();
  static final List<InputStream> openStreams = new CopyOnWriteArrayList<>();
  static final Map<String, Map<String, Map<String, String>>> summary = new TreeMap<>();

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    producer = new AlertProducer(api);
    for (Who who : Who.values()) {
      tokens.put(who, api.tokenOf(who.username));
    }
    try (InfluxWriter influx = new InfluxWriter(api)) {
      for (Scope scope : Scope.values()) {
        createPoint(point(scope), scope);
        createPoint(point(scope) + "-d", scope);
        influx.reading(
            CITY,
            point(scope),
            "AIR",
            Instant.now().minusSeconds(60),
            Map.of("pm25", 35.0),
            Map.of());
      }
    }
    // every SSE stream is open before the alerts are produced
    for (Who who : Who.values()) {
      streams.put(who, openStream(who));
    }
    List<Alert> alerts = new ArrayList<>();
    for (Scope scope : Scope.values()) {
      alerts.add(alert("read", scope, null));
      for (Who who : Who.values()) {
        alerts.add(alert("ack", scope, who));
      }
    }
    // last: an alert of a CLUSTER point, seen by every stream; once there, the others are too
    alerts.add(alert("marker", Scope.CLUSTER, null));
    for (Alert alert : alerts) {
      producer.produce(alert);
    }
    String marker = alertIds.get(key("marker", Scope.CLUSTER, null));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                streams.values().stream()
                    .allMatch(lines -> lines.stream().anyMatch(l -> l.contains(marker))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls
                        .getList(
                            tokens.get(Who.COORDINATOR), "/api/v1/alerts?city=wujiang&status=all")
                        .stream()
                        .filter(a -> alertIds.containsValue((String) a.get("id")))
                        .count()
                    == alertIds.size());
  }

  @AfterAll
  static void printSummary() throws Exception {
    for (InputStream stream : openStreams) {
      stream.close();
    }
    producer.close();
    StringBuilder out = new StringBuilder("\nAuthorization matrix (points of Wujiang):\n");
    int cells = 0;
    for (var endpoint : summary.entrySet()) {
      out.append(String.format("%n%-40s", endpoint.getKey()));
      List<String> columns =
          new ArrayList<>(endpoint.getValue().values().iterator().next().keySet());
      for (String column : columns) {
        out.append(String.format("%-19s", column));
      }
      for (var row : endpoint.getValue().entrySet()) {
        out.append(String.format("%n  %-38s", row.getKey()));
        for (String column : columns) {
          out.append(String.format("%-19s", row.getValue().get(column)));
          cells++;
        }
      }
      out.append('\n');
    }
    out.append(String.format("%n%d cells, each asserted.%n", cells));
    System.out.println(out);
  }

  static Stream<Arguments> pointCells() {
    List<Arguments> cells = new ArrayList<>();
    for (Who who : Who.values()) {
      for (Scope scope : Scope.values()) {
        cells.add(Arguments.of(who, scope));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} × {1}")
  @MethodSource("pointCells")
  void pointEndpoints(Who who, Scope scope) throws Exception {
    String token = tokens.get(who);
    String id = point(scope);
    String visible = who.sees(scope) ? "200" : "404";
    String change = who.sees(scope) ? (who.changesPoints() ? "200" : "403") : "404";
    String ack = who.sees(scope) ? (who.acknowledges() ? "200" : "403") : "404";
    String listed = who.sees(scope) ? "listed" : "absent";
    String alertId = alertIds.get(key("read", scope, null));

    check(
        "GET /points/{id}",
        who,
        scope,
        visible,
        status(HttpRequest.GET("/api/v1/points/" + id), token));
    check(
        "GET /points?city=wujiang",
        who,
        scope,
        listed,
        presence(idsOf(calls.getList(token, "/api/v1/points?city=wujiang")), id));
    check(
        "PUT /points/{id}",
        who,
        scope,
        change,
        status(HttpRequest.PUT("/api/v1/points/" + id, pointBody(id, scope)), token));
    check(
        "DELETE /points/{id} (decommission)",
        who,
        scope,
        change,
        status(HttpRequest.DELETE("/api/v1/points/" + id + "-d"), token));
    check(
        "GET /points/{id}/readings",
        who,
        scope,
        visible,
        status(HttpRequest.GET("/api/v1/points/" + id + "/readings"), token));
    check(
        "GET /points/{id}/readings?view=raw",
        who,
        scope,
        who.sees(scope) ? (who.ownsData() ? "200" : "403") : "404",
        status(HttpRequest.GET("/api/v1/points/" + id + "/readings?view=raw"), token));
    check(
        "GET /points/{id}/reviews",
        who,
        scope,
        who.sees(scope) ? (who.ownsData() ? "200" : "403") : "404",
        status(HttpRequest.GET("/api/v1/points/" + id + "/reviews"), token));
    check(
        "POST /points/{id}/reviews",
        who,
        scope,
        who.sees(scope) ? (who.changesPoints() ? "201" : "403") : "404",
        status(
            HttpRequest.POST(
                "/api/v1/points/" + id + "/reviews",
                Map.of(
                    "at", "2020-01-01T00:00:00Z", "verdict", "INVALID", "reason", "MAINTENANCE")),
            token));
    check(
        "GET /readings/latest?city=wujiang",
        who,
        scope,
        listed,
        presence(pointIdsOfLatest(token), id));
    check(
        "POST /imports?point={id}",
        who,
        scope,
        who.sees(scope) ? (who.changesPoints() ? "202" : "403") : "404",
        status(
            HttpRequest.POST(
                    "/api/v1/imports?point=" + id, "time_utc,pm25\r\n2020-01-01T00:00:00Z,10\r\n")
                .contentType("text/csv"),
            token));
    check(
        "GET /export/readings?points={id}",
        who,
        scope,
        visible,
        status(HttpRequest.GET("/api/v1/export/readings?kind=AIR&points=" + id), token));
    check(
        "GET /export/readings?points={id}&view=raw",
        who,
        scope,
        who.sees(scope) ? (who.ownsData() ? "200" : "403") : "404",
        status(HttpRequest.GET("/api/v1/export/readings?kind=AIR&view=raw&points=" + id), token));
    check(
        "GET /export/readings?city=wujiang (rows)",
        who,
        scope,
        listed,
        body("/api/v1/export/readings?kind=AIR&city=wujiang", token).contains("," + id + ",")
            ? "listed"
            : "absent");
    check(
        "GET /export/points?city=wujiang",
        who,
        scope,
        listed,
        body("/api/v1/export/points?city=wujiang", token).contains("\"id\":\"" + id + "\"")
            ? "listed"
            : "absent");
    check(
        "GET /alerts?city=wujiang&status=all",
        who,
        scope,
        listed,
        presence(idsOf(calls.getList(token, "/api/v1/alerts?city=wujiang&status=all")), alertId));
    check(
        "GET /alerts/{id}",
        who,
        scope,
        visible,
        status(HttpRequest.GET("/api/v1/alerts/" + alertId), token));
    check(
        "POST /alerts/{id}/ack",
        who,
        scope,
        ack,
        status(
            HttpRequest.POST(
                "/api/v1/alerts/" + alertIds.get(key("ack", scope, who)) + "/ack", Map.of()),
            token));
    check(
        "GET /alerts/stream",
        who,
        scope,
        who.sees(scope) ? "delivered" : "absent",
        streams.get(who).stream().anyMatch(l -> l.startsWith("data:") && l.contains(alertId))
            ? "delivered"
            : "absent");
  }

  static Stream<Scope> scopes() {
    return Stream.of(Scope.values());
  }

  /**
   * The public API and the SensorThings API without sign-in: CLUSTER points alone, nothing PRIVATE
   * or CITIES.
   */
  @ParameterizedTest(name = "public × {0}")
  @MethodSource("scopes")
  void publicEndpoints(Scope scope) {
    String id = point(scope);
    String listed = scope == Scope.CLUSTER ? "listed" : "absent";
    checkPublic(
        "GET /public/points?city=wujiang",
        scope,
        listed,
        presence(idsOf(publicList("/api/v1/public/points?city=wujiang")), id));
    checkPublic(
        "GET /public/readings/latest?city=wujiang",
        scope,
        listed,
        presence(
            publicList("/api/v1/public/readings/latest?city=wujiang").stream()
                .map(p -> p.get("pointId"))
                .toList(),
            id));
    checkPublic(
        "GET /public/reports/air/daily?city=wujiang",
        scope,
        listed,
        presence(publicReportPointIds(), id));
    checkPublic(
        "GET /public/points/{id}/readings",
        scope,
        scope == Scope.CLUSTER ? "200" : "404",
        status(HttpRequest.GET("/api/v1/public/points/" + id + "/readings"), null));
    checkPublic(
        "GET /sta/v1.1/Things?$filter=properties/city eq 'wujiang'",
        scope,
        listed,
        presence(staThingIds(), id));
    checkPublic(
        "GET /sta/v1.1/Things('{id}')",
        scope,
        scope == Scope.CLUSTER ? "200" : "404",
        status(HttpRequest.GET("/sta/v1.1/Things('" + id + "')"), null));
    checkPublic(
        "GET /sta/v1.1/Things('{id}')/Datastreams",
        scope,
        scope == Scope.CLUSTER ? "200" : "404",
        status(HttpRequest.GET("/sta/v1.1/Things('" + id + "')/Datastreams"), null));
  }

  /** The ids of the SensorThings API's Things of Wujiang. */
  @SuppressWarnings("unchecked")
  private static List<Object> staThingIds() {
    Map<String, Object> things =
        api.http()
            .retrieve(
                HttpRequest.GET(
                    "/sta/v1.1/Things?$top=1000&$filter=properties/city%20eq%20'wujiang'"),
                Map.class);
    return ((List<Map<String, Object>>) things.get("value"))
        .stream().map(thing -> thing.get("@iot.id")).toList();
  }

  private static void checkPublic(String endpoint, Scope scope, String expected, String actual) {
    synchronized (summary) {
      summary
          .computeIfAbsent(endpoint, e -> new LinkedHashMap<>())
          .computeIfAbsent("anyone, no sign-in", w -> new LinkedHashMap<>())
          .put(scope.name(), actual.equals(expected) ? actual : actual + "≠" + expected);
    }
    assertThat(actual).as("%s anonymously, %s point", endpoint, scope).isEqualTo(expected);
  }

  /** The POINT rows of today's public daily report of Wujiang. */
  @SuppressWarnings("unchecked")
  private static List<Object> publicReportPointIds() {
    String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    Map<String, Object> report =
        api.http()
            .retrieve(
                HttpRequest.GET("/api/v1/public/reports/air/daily?city=wujiang&date=" + today),
                Map.class);
    return ((List<Map<String, Object>>) report.get("rows"))
        .stream()
            .filter(row -> "POINT".equals(row.get("scope")))
            .map(row -> row.get("id"))
            .toList();
  }

  private static List<Map<String, Object>> publicList(String uri) {
    return api.http()
        .retrieve(
            HttpRequest.GET(uri), Argument.listOf(Argument.mapOf(String.class, Object.class)));
  }

  static Stream<Who> everyone() {
    return Stream.of(Who.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyone")
  void cityEndpoints(Who who) throws Exception {
    String token = tokens.get(who);
    String webhooks = who.managesWebhooks() ? "200" : "403";
    check(
        "GET /cities/wujiang/webhooks",
        who,
        null,
        webhooks,
        status(HttpRequest.GET("/api/v1/cities/wujiang/webhooks"), token));
    check(
        "GET /webhooks/dead-letters",
        who,
        null,
        who == Who.COORDINATOR || who.name().endsWith("BUREAU") ? "200" : "403",
        status(HttpRequest.GET("/api/v1/webhooks/dead-letters"), token));
    check(
        "GET /sharing-ratios",
        who,
        null,
        "200",
        status(HttpRequest.GET("/api/v1/sharing-ratios"), token));
    check(
        "GET /sharing-ratios/history?city=wujiang",
        who,
        null,
        "200",
        status(HttpRequest.GET("/api/v1/sharing-ratios/history?city=wujiang"), token));
    check("GET /cities", who, null, "200", status(HttpRequest.GET("/api/v1/cities"), token));
    // The assessment's evidence names the city's PRIVATE points: its own users and the coordinator.
    check(
        "GET /assessments/l3p1-a1?city=wujiang",
        who,
        null,
        who == Who.COORDINATOR || who.own() ? "200" : "403",
        status(HttpRequest.GET("/api/v1/assessments/l3p1-a1?city=wujiang"), token));
    check(
        "GET /assessments/l3p1-a1?city=yrd-demo",
        who,
        null,
        who == Who.COORDINATOR ? "200" : "403",
        status(HttpRequest.GET("/api/v1/assessments/l3p1-a1?city=yrd-demo"), token));
  }

  private static void check(String endpoint, Who who, Scope scope, String expected, String actual) {
    synchronized (summary) {
      summary
          .computeIfAbsent(endpoint, e -> new LinkedHashMap<>())
          .computeIfAbsent(who.name() + " (" + who.username + ")", w -> new LinkedHashMap<>())
          .put(
              scope == null ? "any" : scope.name(),
              actual.equals(expected) ? actual : actual + "≠" + expected);
    }
    assertThat(actual).as("%s as %s, %s point", endpoint, who.username, scope).isEqualTo(expected);
  }

  private static String status(MutableHttpRequest<?> request, String token) {
    try {
      if (token != null) {
        request.bearerAuth(token);
      }
      return Integer.toString(api.http().exchange(request).code());
    } catch (HttpClientResponseException e) {
      return Integer.toString(e.getStatus().getCode());
    }
  }

  private static String body(String uri, String token) {
    return api.http().retrieve(HttpRequest.GET(uri).bearerAuth(token), String.class);
  }

  private static String presence(List<Object> ids, String id) {
    return ids.contains(id) ? "listed" : "absent";
  }

  private static List<Object> idsOf(List<Map<String, Object>> objects) {
    return objects.stream().map(o -> o.get("id")).toList();
  }

  private static List<Object> pointIdsOfLatest(String token) {
    return calls.getList(token, "/api/v1/readings/latest?city=wujiang").stream()
        .map(p -> p.containsKey("pointId") ? p.get("pointId") : p.get("id"))
        .toList();
  }

  private static String point(Scope scope) {
    return "mx" + run + "-" + scope.name().toLowerCase().replace('_', '-');
  }

  private static Map<String, Object> pointBody(String id, Scope scope) {
    Map<String, Object> body = new HashMap<>();
    body.put("id", id);
    body.put("cityId", CITY);
    body.put("kind", "AIR");
    body.put("name", "matrix " + scope);
    body.put("lat", 31.0);
    body.put("lon", 120.6);
    body.put("status", "ACTIVE");
    body.put(
        "sharing",
        scope == Scope.PRIVATE ? "PRIVATE" : scope == Scope.CLUSTER ? "CLUSTER" : "CITIES");
    body.put(
        "sharedWith",
        switch (scope) {
          case CITIES_NAMING -> List.of("qingpu");
          case CITIES_NOT_NAMING -> List.of("jiashan");
          default -> List.of();
        });
    return body;
  }

  private static void createPoint(String id, Scope scope) {
    assertThat(
            api.http()
                .exchange(
                    HttpRequest.POST("/api/v1/points", pointBody(id, scope))
                        .bearerAuth(tokens.get(Who.COORDINATOR)))
                .code())
        .isEqualTo(201);
  }

  private static String key(String purpose, Scope scope, Who who) {
    return purpose + "/" + scope + "/" + who;
  }

  private static Alert alert(String purpose, Scope scope, Who who) {
    Alert alert = AlertProducer.alert(AlertType.AIR_QUALITY, point(scope), CITY, PointKind.AIR);
    alertIds.put(key(purpose, scope, who), alert.alertId());
    return alert;
  }

  private static List<String> openStream(Who who) throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(api.server.getURL() + "/api/v1/alerts/stream"))
                    .header("Authorization", "Bearer " + tokens.get(who))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    openStreams.add(response.body());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                // closed after the run
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
