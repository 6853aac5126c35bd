package io.envmon.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.envmon.api.AlertProducer;
import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionOperations;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real HTTP receiver (the JDK's HttpServer) in the test: signatures, retries
 * with backoff, dead letters (ApiTestServer: attempts at 0, +200 ms, +400 ms, +800 ms).
 */
@WithRealInfrastructure
class WebhooksIT {

  static ApiTestServer api;
  static ApiCalls calls;
  static AlertProducer producer;
  static HttpServer receiver;
  static JsonMapper json;

  /** Every request the receiver got, per path. */
  static final Map<String, List<Received>> received = new ConcurrentHashMap<>();

  /** Per alert id, how many requests of /flaky have failed so far. */
  static final Map<String, AtomicInteger> flakyFailures = new ConcurrentHashMap<>();

  final List<String> created = new ArrayList<>();

  /** Tokens by user name: a login (bcrypt) per poll would slow the awaits down. */
  static final Map<String, String> tokens = new ConcurrentHashMap<>();

  static String token(String username) {
    return tokens.computeIfAbsent(username, api::tokenOf);
  }

  record Received(Map<String, String> headers, byte[] body, String alertId, String event) {}

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    producer = new AlertProducer(api);
    json = api.server.getApplicationContext().getBean(JsonMapper.class);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String path : List.of("/ok", "/flaky", "/down")) {
      receiver.createContext(
          path,
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            String alertId = (String) json.readValue(body, Map.class).get("id");
            received
                .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(new Received(headers, body, alertId, headers.get("x-envmon-event")));
            int status =
                switch (path) {
                  case "/ok" -> 204;
                  case "/flaky" ->
                      flakyFailures.computeIfAbsent(alertId, a -> new AtomicInteger()).get() < 2
                          ? 500
                          : 200;
                  default -> 503;
                };
            if (path.equals("/flaky") && status == 500) {
              flakyFailures.get(alertId).incrementAndGet();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
    }
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
    producer.close();
  }

  /**
   * AlertStore appends an alert event and enqueues its deliveries through {@link WebhookRepository}
   * in one transaction: the repository must see the rows of a transaction it joins, even one begun
   * by hand, and nothing of it may stay when it rolls back.
   */
  @Test
  void theRepositoryJoinsAHandJdbcTransactionAndRollsBackWithIt() {
    var context = api.server.getApplicationContext();
    TransactionOperations<Connection> transactions =
        context.getBean(Argument.of(TransactionOperations.class, Connection.class));
    WebhookRepository webhooks = context.getBean(WebhookRepository.class);
    String url = "http://127.0.0.1:1/rolled-back-" + System.nanoTime();
    assertThatThrownBy(
            () ->
                transactions.executeWrite(
                    status -> {
                      try (PreparedStatement insert =
                          status
                              .getConnection()
                              .prepareStatement(
                                  "INSERT INTO webhook (city_id, url, secret, created_at,"
                                      + " created_by) VALUES ('jiashan', ?, 's', now(), 'it')")) {
                        insert.setString(1, url);
                        insert.executeUpdate();
                      }
                      // not committed: visible only in this transaction
                      assertThat(webhooks.findByCityIdOrderById("jiashan"))
                          .extracting(Webhook::url)
                          .contains(url);
                      throw new IllegalStateException("roll back");
                    }))
        .hasMessage("roll back");
    assertThat(webhooks.findByCityIdOrderById("jiashan"))
        .extracting(Webhook::url)
        .doesNotContain(url);
  }

  @AfterEach
  void deleteWebhooks() {
    String token = token("coordinator");
    for (String location : created) {
      api.http().exchange(HttpRequest.DELETE(location).bearerAuth(token));
    }
  }

  @Test
  @DisplayName(
      "every event of an alert the city receives (own and JOINT, raised and acknowledged) arrives"
          + " signed: HMAC-SHA256 of '<timestamp>.<body>' with the webhook's secret")
  void signedDeliveryOfOwnAndJointAlerts() throws Exception {
    String secret = "a-secret-of-the-qingpu-receiver";
    register("qingpu-bureau", "qingpu", "/ok", secret);

    Alert own =
        AlertProducer.alert(AlertType.AIR_QUALITY, "qingpu-air-01", "qingpu", PointKind.AIR);
    Alert joint =
        AlertProducer.joint("qingpu-water-taipu-01", "qingpu", "wujiang-water-taipu-02", "wujiang");
    Alert other =
        AlertProducer.alert(AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", PointKind.AIR);
    producer.produce(other);
    producer.produce(own);
    producer.produce(joint);
    // one batch is sent in parallel: either may come first
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                requestsFor("/ok", joint.alertId()) == 1 && requestsFor("/ok", own.alertId()) == 1);

    for (Received request : receivedFor("/ok", own.alertId(), joint.alertId())) {
      long timestamp = Long.parseLong(request.headers().get("x-envmon-timestamp"));
      assertThat(timestamp)
          .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
      String expected =
          "sha256="
              + hmacHex(
                  secret, timestamp + "." + new String(request.body(), StandardCharsets.UTF_8));
      assertThat(request.headers().get("x-envmon-signature")).isEqualTo(expected);
      // a wrong secret or a changed body would not verify
      assertThat(request.headers().get("x-envmon-signature"))
          .isNotEqualTo(
              "sha256="
                  + hmacHex(
                      "another-secret-entirely",
                      timestamp + "." + new String(request.body(), StandardCharsets.UTF_8)));
      assertThat(request.headers().get("content-type")).isEqualTo("application/json");
      assertThat(request.event()).isEqualTo("raised");
      assertThat(Long.parseLong(request.headers().get("x-envmon-event-id"))).isPositive();
    }
    Map<?, ?> jointBody =
        json.readValue(receivedFor("/ok", joint.alertId()).get(0).body(), Map.class);
    assertThat(jointBody.get("type")).isEqualTo("JOINT");
    assertThat(jointBody.get("cityId")).isEqualTo("qingpu");
    assertThat(jointBody.get("originCityId")).isEqualTo("wujiang");

    api.http()
        .exchange(
            HttpRequest.POST("/api/v1/alerts/" + own.alertId() + "/ack", Map.of())
                .bearerAuth(token("qingpu-emergency")));
    await().atMost(Duration.ofSeconds(30)).until(() -> requestsFor("/ok", own.alertId()) == 2);
    Received acknowledged = receivedFor("/ok", own.alertId()).get(1);
    assertThat(acknowledged.event()).isEqualTo("acknowledged");
    assertThat(json.readValue(acknowledged.body(), Map.class).get("acknowledgedBy"))
        .isEqualTo("qingpu-emergency");

    // Wujiang's alert reached no Qingpu webhook (it was consumed first: its delivery, had there
    // been
    // one, would be in an earlier batch than the acknowledgement's, and batches finish in turn)
    assertThat(requestsFor("/ok", other.alertId())).isZero();
  }

  @Test
  @DisplayName("a receiver failing twice then answering 200 gets the alert on the 3rd attempt")
  void retriesWithBackoffUntilDelivered() throws Exception {
    register("coordinator", "wujiang", "/flaky", null);
    Alert alert =
        AlertProducer.alert(AlertType.NOISE_LIMIT, "wujiang-noise-01", "wujiang", PointKind.NOISE);
    producer.produce(alert);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deliveryState(alert.alertId()).startsWith("delivered"));
    assertThat(deliveryState(alert.alertId())).isEqualTo("delivered after 3 attempts");
    List<Received> attempts = receivedFor("/flaky", alert.alertId());
    assertThat(attempts).hasSize(3);
    // the same body each time (re-signed with the time of each attempt)
    assertThat(attempts)
        .extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
        .containsOnly(new String(attempts.get(0).body(), StandardCharsets.UTF_8));
    assertThat(deadLetterAlertIds("wujiang-bureau")).doesNotContain(alert.alertId());
  }

  @Test
  @DisplayName(
      "a receiver that always fails: after the last attempt the delivery is a dead letter, readable"
          + " by the city's bureau and the coordinator only; a retry sends it again")
  void alwaysFailingEndsInDeadLetters() throws Exception {
    register("jiashan-bureau", "jiashan", "/down", null);
    Alert alert =
        AlertProducer.alert(AlertType.DEVICE_OFFLINE, "jiashan-air-01", "jiashan", PointKind.AIR);
    Alert another =
        AlertProducer.alert(
            AlertType.DEVICE_OFFLINE, "jiashan-water-taipu-01", "jiashan", PointKind.WATER);
    producer.produce(alert);
    producer.produce(another);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deadLetterAlertIds("jiashan-bureau")
                    .containsAll(List.of(alert.alertId(), another.alertId())));
    Map<String, Object> dead = deadLetter("jiashan-bureau", alert.alertId());

    // a page at a time, newest first, a Link naming the next page with the filter kept
    String ofWebhook = "/api/v1/webhooks/dead-letters?webhook=" + dead.get("webhookId");
    var first =
        api.http()
            .exchange(
                HttpRequest.GET(ofWebhook + "&size=1").bearerAuth(token("jiashan-bureau")),
                io.micronaut.core.type.Argument.listOf(
                    io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
    assertThat(first.body()).hasSize(1);
    String link = first.getHeaders().get("Link");
    assertThat(link).isEqualTo("<" + ofWebhook + "&page=1&size=1>; rel=\"next\"");
    List<Map<String, Object>> byPage = new java.util.ArrayList<>(first.body());
    byPage.addAll(calls.getList(token("jiashan-bureau"), link.substring(1, link.indexOf('>'))));
    assertThat(byPage.stream().map(d -> d.get("id")))
        .isEqualTo(
            calls.getList(token("jiashan-bureau"), ofWebhook).stream()
                .map(d -> d.get("id"))
                .toList());
    assertThat(dead)
        .containsEntry("attempts", 4)
        .containsEntry("lastError", "HTTP 503")
        .containsEntry("event", "raised")
        .containsEntry("cityId", "jiashan");
    assertThat((String) dead.get("url")).endsWith("/down");
    assertThat(json.readValue((String) dead.get("body"), Map.class).get("id"))
        .isEqualTo(alert.alertId());
    assertThat(requestsFor("/down", alert.alertId())).isEqualTo(4);

    assertThat(deadLetterAlertIds("coordinator")).contains(alert.alertId());
    assertThat(deadLetterAlertIds("wujiang-bureau")).doesNotContain(alert.alertId());
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/webhooks/dead-letters")
                    .bearerAuth(token("jiashan-emergency"))))
        .isEqualTo(403);
    Object deliveryId = dead.get("id");
    assertThat(
            calls.failureStatus(
                HttpRequest.POST("/api/v1/webhooks/dead-letters/" + deliveryId + "/retry", Map.of())
                    .bearerAuth(token("wujiang-bureau"))))
        .isEqualTo(404);

    Map<?, ?> retried =
        api.http()
            .retrieve(
                HttpRequest.POST("/api/v1/webhooks/dead-letters/" + deliveryId + "/retry", Map.of())
                    .bearerAuth(token("jiashan-bureau")),
                Map.class);
    assertThat(retried.get("attempts")).isEqualTo(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                requestsFor("/down", alert.alertId()) == 8
                    && deadLetterAlertIds("jiashan-bureau").contains(alert.alertId()));
  }

  @Test
  @DisplayName(
      "webhooks are managed by the coordinator and the city's bureau: 403 for others, 404 for an"
          + " unknown city, 400 problem+json for a bad URL; the secret is shown once")
  void managementRules() {
    String path = "/api/v1/cities/wujiang/webhooks";
    Map<String, Object> body = Map.of("url", "http://127.0.0.1:9/hook");
    for (String user : List.of("wujiang-emergency", "wujiang-viewer", "qingpu-bureau")) {
      assertThat(calls.failureStatus(HttpRequest.POST(path, body).bearerAuth(token(user))))
          .as(user)
          .isEqualTo(403);
      assertThat(calls.failureStatus(HttpRequest.GET(path).bearerAuth(token(user))))
          .as(user)
          .isEqualTo(403);
    }
    assertThat(
            calls.failureStatus(
                HttpRequest.POST("/api/v1/cities/atlantis/webhooks", body)
                    .bearerAuth(token("coordinator"))))
        .isEqualTo(404);
    var bad =
        calls.failure(
            HttpRequest.POST(path, Map.of("url", "ftp://example.org/x"))
                .bearerAuth(token("wujiang-bureau")));
    assertThat(bad.getStatus().getCode()).isEqualTo(400);
    assertThat(bad.getResponse().getContentType().map(Object::toString))
        .hasValue("application/problem+json");
    assertThat(bad.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
        .contains("url");
    assertThat(
            calls.failureStatus(
                HttpRequest.POST(path, Map.of("url", "http://127.0.0.1:9/x", "secret", "short"))
                    .bearerAuth(token("wujiang-bureau"))))
        .isEqualTo(400);

    // internal addresses: refused with the reason, unless allowed (the tests allow 127.0.0.1)
    for (String internal :
        List.of(
            "http://127.0.0.2:9/x",
            "http://10.1.2.3/x",
            "http://192.168.1.20/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:9/x",
            "http://[fd00::1]/x",
            "http://0.0.0.0:9/x")) {
      var refused =
          calls.failure(
              HttpRequest.POST(path, Map.of("url", internal)).bearerAuth(token("wujiang-bureau")));
      assertThat(refused.getStatus().getCode()).as(internal).isEqualTo(400);
      assertThat(refused.getResponse().getBody(Map.class).orElseThrow().get("errors").toString())
          .as(internal)
          .contains("may not call internal addresses");
    }

    HttpResponse<Map> createdResponse =
        api.http()
            .exchange(HttpRequest.POST(path, body).bearerAuth(token("wujiang-bureau")), Map.class);
    assertThat(createdResponse.code()).isEqualTo(201);
    Map<?, ?> webhook = createdResponse.body();
    assertThat((String) webhook.get("secret")).hasSize(64);
    String location = createdResponse.header("Location");
    List<Map<String, Object>> listed = calls.getList(token("coordinator"), path);
    assertThat(listed).extracting(w -> w.get("id")).contains(webhook.get("id"));
    assertThat(listed).allSatisfy(w -> assertThat(w).doesNotContainKey("secret"));

    assertThat(calls.failureStatus(HttpRequest.DELETE(location).bearerAuth(token("qingpu-bureau"))))
        .isEqualTo(403);
    assertThat(
            api.http()
                .exchange(HttpRequest.DELETE(location).bearerAuth(token("wujiang-bureau")))
                .code())
        .isEqualTo(204);
    assertThat(
            calls.failureStatus(HttpRequest.DELETE(location).bearerAuth(token("wujiang-bureau"))))
        .isEqualTo(404);
  }

  private void register(String user, String city, String path, String secret) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + path);
    if (secret != null) {
      body.put("secret", secret);
    }
    HttpResponse<Map> response =
        api.http()
            .exchange(
                HttpRequest.POST("/api/v1/cities/" + city + "/webhooks", body)
                    .bearerAuth(token(user)),
                Map.class);
    assertThat(response.code()).isEqualTo(201);
    created.add(response.header("Location"));
  }

  private static int requestsFor(String path, String alertId) {
    return receivedFor(path, alertId).size();
  }

  private static List<Received> receivedFor(String path, String... alertIds) {
    List<String> ids = List.of(alertIds);
    return received.getOrDefault(path, List.of()).stream()
        .filter(r -> ids.contains(r.alertId()))
        .toList();
  }

  private static List<Object> deadLetterAlertIds(String user) {
    return calls.getList(token(user), "/api/v1/webhooks/dead-letters").stream()
        .map(d -> d.get("alertId"))
        .toList();
  }

  private static Map<String, Object> deadLetter(String user, String alertId) {
    return calls.getList(token(user), "/api/v1/webhooks/dead-letters").stream()
        .filter(d -> alertId.equals(d.get("alertId")))
        .findFirst()
        .orElseThrow();
  }

  /** "delivered after n attempts", "pending after n attempts" or "dead after n attempts". */
  private static String deliveryState(String alertId) throws Exception {
    try (var connection = api.database();
        var select =
            connection.prepareStatement(
                "SELECT CASE WHEN delivered_at IS NOT NULL THEN 'delivered'"
                    + " WHEN dead_at IS NOT NULL THEN 'dead' ELSE 'pending' END"
                    + " || ' after ' || attempts || ' attempts' FROM webhook_delivery"
                    + " WHERE alert_id = ?")) {
      select.setString(1, alertId);
      try (var rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : "none";
      }
    }
  }

  private static String hmacHex(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : digest) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }
}
