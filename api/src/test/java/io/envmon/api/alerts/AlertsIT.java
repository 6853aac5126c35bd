package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.SseStream;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Alerts produced to the run's {@code envmon.alerts.v1} topic, seen through the API: who sees them,
 * who acknowledges them, and the SSE stream (demo/cluster.json's points and users).
 */
@WithRealInfrastructure
class AlertsIT {

  static ApiTestServer api;
  static ApiCalls calls;
  static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    Properties properties = new Properties();
    properties.put("bootstrap.servers", infrastructure.kafkaBootstrap());
    properties.put("acks", "all");
    producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  @Test
  @DisplayName("an alert of a PRIVATE point is listed for its own city but not for another city")
  void privatePointAlertOnlyForOwnCity() throws Exception {
    Alert alert = alert(AlertType.AIR_QUALITY, "wujiang-air-02", "wujiang", PointKind.AIR);
    produce(alert);

    awaitListed("wujiang-viewer", "/api/v1/alerts", alert.alertId());
    Map<String, Object> listed =
        calls.getObject(api.tokenOf("wujiang-viewer"), "/api/v1/alerts/" + alert.alertId());
    assertThat(listed)
        .containsEntry("state", "RAISED")
        .containsEntry("pointId", "wujiang-air-02")
        .containsEntry("cityId", "wujiang");
    assertThat(ids("qingpu-viewer", "/api/v1/alerts?status=all")).doesNotContain(alert.alertId());
    assertThat(ids("qingpu-viewer", "/api/v1/alerts?city=wujiang")).doesNotContain(alert.alertId());
    assertThat(
            calls.failureStatus(
                get("/api/v1/alerts/" + alert.alertId(), api.tokenOf("qingpu-viewer"))))
        .isEqualTo(404);
    assertThat(ids("coordinator", "/api/v1/alerts")).contains(alert.alertId());
  }

  @Test
  @DisplayName("a JOINT alert is seen and acknowledged by the receiving city, not by the origin")
  void jointAlertBelongsToReceivingCity() throws Exception {
    Alert joint =
        new Alert(
            UUID.randomUUID().toString(),
            AlertType.JOINT,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "qingpu-water-taipu-01",
            "qingpu",
            PointKind.WATER,
            Map.of("nh3n", 1.8),
            1.0,
            "WATER_CLASS in wujiang at wujiang-water-taipu-02",
            "吴江区太浦河黎里段水质超标，联合告警",
            now(),
            now(),
            "wujiang-water-taipu-02",
            "wujiang",
            List.of("wujiang-water-taipu-02", "qingpu-water-taipu-01"));
    produce(joint);

    awaitListed("qingpu-viewer", "/api/v1/alerts?type=JOINT", joint.alertId());
    Map<String, Object> seen =
        calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/alerts/" + joint.alertId());
    assertThat(seen)
        .containsEntry("type", "JOINT")
        .containsEntry("originCityId", "wujiang")
        .containsEntry("originPointId", "wujiang-water-taipu-02")
        .containsEntry("messageZh", "吴江区太浦河黎里段水质超标，联合告警")
        .containsEntry("path", List.of("wujiang-water-taipu-02", "qingpu-water-taipu-01"));
    assertThat(calls.failureStatus(ack(joint.alertId(), api.tokenOf("wujiang-emergency"))))
        .isEqualTo(403);
    assertThat(
            api.http()
                .retrieve(ack(joint.alertId(), api.tokenOf("qingpu-bureau")), Map.class)
                .get("acknowledgedBy"))
        .isEqualTo("qingpu-bureau");
  }

  @Test
  @DisplayName(
      "an emergency user acknowledges once: who and when are kept, again is 409, a viewer 403")
  void acknowledgeOnce() throws Exception {
    Alert alert = alert(AlertType.NOISE_LIMIT, "qingpu-noise-01", "qingpu", PointKind.NOISE);
    produce(alert);
    awaitListed("qingpu-viewer", "/api/v1/alerts", alert.alertId());

    assertThat(calls.failureStatus(ack(alert.alertId(), api.tokenOf("qingpu-viewer"))))
        .isEqualTo(403);
    assertThat(calls.failureStatus(ack(alert.alertId(), api.tokenOf("wujiang-emergency"))))
        .isEqualTo(404);

    // the API tells each user whether they may, in the list, the alert and its stream events
    assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/alerts/" + alert.alertId()))
        .containsEntry("acknowledgeable", false);
    assertThat(calls.getList(api.tokenOf("qingpu-emergency"), "/api/v1/alerts"))
        .filteredOn(a -> alert.alertId().equals(a.get("id")))
        .extracting(a -> a.get("acknowledgeable"))
        .containsExactly(true);
    assertThat(calls.getObject(api.tokenOf("coordinator"), "/api/v1/alerts/" + alert.alertId()))
        .containsEntry("acknowledgeable", true);
    try (SseStream viewerStream = SseStream.open(api, api.tokenOf("qingpu-viewer"), "0");
        SseStream responderStream = SseStream.open(api, api.tokenOf("qingpu-bureau"), "0")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  dataIds(viewerStream.events()).contains(alert.alertId())
                      && dataIds(responderStream.events()).contains(alert.alertId()));
      assertThat(acknowledgeableIn(viewerStream, alert.alertId())).containsOnly(false);
      assertThat(acknowledgeableIn(responderStream, alert.alertId())).containsOnly(true);
    }

    Instant before = Instant.now().minusSeconds(1);
    Map<?, ?> acknowledged =
        api.http().retrieve(ack(alert.alertId(), api.tokenOf("qingpu-emergency")), Map.class);
    assertThat(acknowledged.get("acknowledgedBy")).isEqualTo("qingpu-emergency");
    assertThat(acknowledged.get("acknowledgeable")).as("acknowledged: no more").isEqualTo(false);
    assertThat(calls.getObject(api.tokenOf("coordinator"), "/api/v1/alerts/" + alert.alertId()))
        .containsEntry("acknowledgeable", false);
    assertThat(Instant.parse((String) acknowledged.get("acknowledgedAt"))).isAfter(before);
    assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/alerts/" + alert.alertId()))
        .containsEntry("acknowledgedBy", "qingpu-emergency");

    var again = calls.failure(ack(alert.alertId(), api.tokenOf("qingpu-bureau")));
    assertThat(again.getStatus().getCode()).isEqualTo(409);
    assertThat(again.getResponse().getContentType().map(Object::toString))
        .hasValue("application/problem+json");
    assertThat((String) again.getResponse().getBody(Map.class).orElseThrow().get("detail"))
        .contains("already acknowledged by qingpu-emergency");
    assertThat(
            queryStrings(
                "SELECT actor || ' ' || action FROM audit_log WHERE subject = ?", alert.alertId()))
        .containsExactly("qingpu-emergency alert.ack");
  }

  @Test
  @DisplayName(
      "a cleared alert leaves the active list; a redelivery changes nothing; junk is counted, skipped")
  void clearedAlertAndRedelivery() throws Exception {
    Alert raised = alert(AlertType.DEVICE_OFFLINE, "jiashan-air-01", "jiashan", PointKind.AIR);
    Alert cleared =
        raised.next(
            AlertState.CLEARED,
            AlertSeverity.WARNING,
            Map.of(),
            "back",
            raised.updatedAt().plusSeconds(60));
    produce(raised);
    produce(cleared);
    produce(raised); // redelivery of an older change
    producer.send(
        new ProducerRecord<>(
            api.alertsTopic, "junk", "{not json".getBytes(StandardCharsets.UTF_8)));

    awaitListed("jiashan-viewer", "/api/v1/alerts?status=cleared", raised.alertId());
    assertThat(ids("jiashan-viewer", "/api/v1/alerts")).doesNotContain(raised.alertId());
    assertThat(ids("jiashan-viewer", "/api/v1/alerts?status=ALL")).contains(raised.alertId());
    assertThat(
            calls.failureStatus(get("/api/v1/alerts?status=open", api.tokenOf("jiashan-viewer"))))
        .isEqualTo(400);

    Alert afterJunk = alert(AlertType.DATA_QUALITY, "jiashan-air-01", "jiashan", PointKind.AIR);
    produce(afterJunk);
    awaitListed("jiashan-viewer", "/api/v1/alerts", afterJunk.alertId());
    assertThat(calls.getObject(api.tokenOf("jiashan-viewer"), "/api/v1/alerts/" + raised.alertId()))
        .containsEntry("state", "CLEARED");
    assertThat(
            queryStrings(
                "SELECT state FROM alert_event WHERE alert_id = ? ORDER BY id", raised.alertId()))
        .containsExactly("RAISED", "CLEARED");
    String metrics = api.http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    assertThat(metrics).containsPattern("(?m)^envmon_alerts_undecodable_total(\\{[^}]*\\})? [1-9]");
  }

  @Test
  @DisplayName(
      "an aborted transaction of the jobs announces nothing: no alert, no state change, on no"
          + " channel")
  void abortedTransactionIsNeverAnnounced() throws Exception {
    Alert raised =
        alert(AlertType.WATER_CLASS, "qingpu-water-dianshan-01", "qingpu", PointKind.WATER);
    produce(raised);
    awaitListed("qingpu-viewer", "/api/v1/alerts", raised.alertId());
    Alert forgottenClear =
        raised.next(
            AlertState.CLEARED,
            AlertSeverity.WARNING,
            Map.of(),
            "back",
            raised.updatedAt().plusSeconds(60));
    Alert forgotten = alert(AlertType.DEVICE_OFFLINE, "qingpu-air-02", "qingpu", PointKind.AIR);
    Alert committed =
        alert(AlertType.DATA_QUALITY, "qingpu-water-dianshan-01", "qingpu", PointKind.WATER);

    Properties properties = new Properties();
    properties.put("bootstrap.servers", api.infrastructure.kafkaBootstrap());
    properties.put("transactional.id", "alerts-it-" + UUID.randomUUID());
    try (KafkaProducer<String, byte[]> jobs =
        new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
      jobs.initTransactions();
      // as the jobs do: a transaction per checkpoint, aborted when the job fails before it
      jobs.beginTransaction();
      send(jobs, forgottenClear);
      send(jobs, forgotten);
      jobs.flush();
      jobs.abortTransaction();
      jobs.beginTransaction();
      send(jobs, committed);
      jobs.commitTransaction();
    }

    // one partition: once the committed record is stored, the aborted ones before it were read
    awaitListed("qingpu-viewer", "/api/v1/alerts", committed.alertId());
    assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/alerts/" + raised.alertId()))
        .containsEntry("state", "RAISED");
    assertThat(ids("coordinator", "/api/v1/alerts?status=all")).doesNotContain(forgotten.alertId());
    assertThat(
            queryStrings(
                "SELECT state FROM alert_event WHERE alert_id = ? ORDER BY id", raised.alertId()))
        .containsExactly("RAISED");
    // SSE, MQTT and webhooks all follow alert_event
    assertThat(
            queryStrings("SELECT state FROM alert_event WHERE alert_id = ?", forgotten.alertId()))
        .isEmpty();
    try (SseStream stream = SseStream.open(api, api.tokenOf("qingpu-viewer"), "0")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> dataIds(stream.events()).contains(committed.alertId()));
      assertThat(dataIds(stream.events())).doesNotContain(forgotten.alertId());
      assertThat(stream.events())
          .filteredOn(e -> raised.alertId().equals(e.data().get("id")))
          .extracting(SseStream.Received::name)
          .containsExactly("raised");
    }
  }

  @Test
  @DisplayName(
      "the list comes a page at a time, a Link header naming the next; bad page or size is 400")
  void listIsPagedWithNextLinks() throws Exception {
    List<String> produced = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // each supersedes the one before: three alerts of the point, one of them active
      Alert alert =
          alert(AlertType.WATER_CLASS, "jiashan-water-taipu-01", "jiashan", PointKind.WATER);
      produced.add(alert.alertId());
      produce(alert);
    }
    String all = "/api/v1/alerts?city=jiashan&status=all&type=WATER_CLASS";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(ids("jiashan-viewer", all)).containsAll(produced).hasSize(3));
    List<Object> whole = ids("jiashan-viewer", all);

    String token = api.tokenOf("jiashan-viewer");
    Argument<List<Map<String, Object>>> page =
        Argument.listOf(Argument.mapOf(String.class, Object.class));
    var first = api.http().exchange(get(all + "&size=2", token), page);
    assertThat(first.body()).hasSize(2);
    String link = first.getHeaders().get("Link");
    assertThat(link)
        .isEqualTo(
            "</api/v1/alerts?city=jiashan&status=all&type=WATER_CLASS&page=1&size=2>;"
                + " rel=\"next\"");
    String next = link.substring(1, link.indexOf('>'));
    var second = api.http().exchange(get(next, token), page);
    assertThat(second.body()).hasSize(1);
    assertThat(second.getHeaders().get("Link")).isNull();
    List<Object> paged = new java.util.ArrayList<>();
    paged.addAll(idsOf(first.body()));
    paged.addAll(idsOf(second.body()));
    assertThat(paged).isEqualTo(whole);

    var tooBig = calls.failure(get(all + "&size=1001", token));
    assertThat(tooBig.getStatus().getCode()).isEqualTo(400);
    assertThat(tooBig.getResponse().getContentType().map(Object::toString))
        .hasValue("application/problem+json");
    assertThat(calls.failureStatus(get(all + "&page=-1", token))).isEqualTo(400);
    var notANumber = calls.failure(get(all + "&page=first", token));
    assertThat(notANumber.getStatus().getCode()).isEqualTo(400);
    assertThat(notANumber.getResponse().getContentType().map(Object::toString))
        .hasValue("application/problem+json");
  }

  private static List<Object> idsOf(List<Map<String, Object>> alerts) {
    return alerts.stream().map(a -> a.get("id")).toList();
  }

  @Test
  @DisplayName("SSE delivers a new alert, and a reconnect with Last-Event-ID gets only later ones")
  void streamDeliversAndResumes() throws Exception {
    String token = api.tokenOf("wujiang-viewer");
    try (SseStream firstStream = SseStream.open(api, token, null)) {
      List<SseStream.Received> first = firstStream.events();
      // the stream starts with the next change: produce until one made after connecting arrives
      // (a probe closes the previous active alert of its point and type: that "cleared" event
      // comes first)
      List<String> produced = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(2))
          .pollDelay(Duration.ZERO)
          .untilAsserted(
              () -> {
                if (raisedProbe(first, produced).isEmpty()) {
                  Alert probe =
                      alert(AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", PointKind.AIR);
                  produced.add(probe.alertId());
                  produce(probe);
                }
                assertThat(raisedProbe(first, produced)).isPresent();
              });
      SseStream.Received delivered = raisedProbe(first, produced).orElseThrow();
      long deliveredId = Long.parseLong(delivered.id());

      Alert hidden = alert(AlertType.NOISE_LIMIT, "qingpu-noise-01", "qingpu", PointKind.NOISE);
      Alert later = alert(AlertType.NOISE_LIMIT, "wujiang-noise-01", "wujiang", PointKind.NOISE);
      produce(hidden);
      produce(later);
      await().atMost(Duration.ofSeconds(30)).until(() -> dataIds(first).contains(later.alertId()));
      firstStream.close();

      try (SseStream second = SseStream.open(api, token, Long.toString(deliveredId))) {
        List<SseStream.Received> resumed = second.events();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> dataIds(resumed).contains(later.alertId()));
        assertThat(resumed)
            .allSatisfy(e -> assertThat(Long.parseLong(e.id())).isGreaterThan(deliveredId));
        assertThat(resumed).extracting(SseStream.Received::id).doesNotContain(delivered.id());
        assertThat(dataIds(resumed)).doesNotContain(hidden.alertId());
        assertThat(dataIds(first)).doesNotContain(hidden.alertId());
      }
    }
  }

  /** The first "raised" event of one of the produced alerts. */
  private static java.util.Optional<SseStream.Received> raisedProbe(
      List<SseStream.Received> events, List<String> produced) {
    return events.stream()
        .filter(e -> e.name().equals("raised") && produced.contains(e.data().get("id")))
        .findFirst();
  }

  private static List<Object> dataIds(List<SseStream.Received> events) {
    return events.stream().map(e -> e.data().get("id")).toList();
  }

  private static Alert alert(AlertType type, String pointId, String cityId, PointKind kind) {
    Instant at = now();
    return new Alert(
        UUID.randomUUID().toString(),
        type,
        AlertState.RAISED,
        AlertSeverity.WARNING,
        pointId,
        cityId,
        kind,
        Map.of("value", 1.0),
        null,
        type + " at " + pointId,
        null,
        at,
        at,
        null,
        null,
        null);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void produce(Alert alert) throws Exception {
    producer
        .send(new ProducerRecord<>(api.alertsTopic, alert.alertId(), AlertJson.encode(alert)))
        .get(10, TimeUnit.SECONDS);
  }

  private static void send(KafkaProducer<String, byte[]> transactional, Alert alert) {
    transactional.send(
        new ProducerRecord<>(api.alertsTopic, alert.alertId(), AlertJson.encode(alert)));
  }

  private static void awaitListed(String username, String uri, String alertId) {
    String token = api.tokenOf(username);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(idsWithToken(token, uri)).contains(alertId));
  }

  private static List<Object> ids(String username, String uri) {
    return idsWithToken(api.tokenOf(username), uri);
  }

  private static List<Object> idsWithToken(String token, String uri) {
    return calls.getList(token, uri).stream().map(a -> a.get("id")).toList();
  }

  private static MutableHttpRequest<?> get(String uri, String token) {
    return HttpRequest.GET(uri).bearerAuth(token);
  }

  private static List<Object> acknowledgeableIn(SseStream stream, String alertId) {
    return stream.events().stream()
        .filter(e -> alertId.equals(e.data().get("id")))
        .map(e -> e.data().get("acknowledgeable"))
        .toList();
  }

  private static MutableHttpRequest<?> ack(String alertId, String token) {
    return HttpRequest.POST("/api/v1/alerts/" + alertId + "/ack", Map.of()).bearerAuth(token);
  }

  private static List<String> queryStrings(String sql, String parameter) throws Exception {
    try (Connection connection = api.database();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      List<String> rows = new java.util.ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(result.getString(1));
        }
      }
      return rows;
    }
  }
}
