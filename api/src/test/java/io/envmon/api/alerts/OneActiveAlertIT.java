package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.AlertProducer;
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
import io.micronaut.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * At most one active alert per point and type, kept by the API whatever the stream sends (the
 * stream jobs restarted without their state raise an episode again under a new id), and the
 * detection time and delayed mark of late data in the API's alert JSON.
 */
@WithRealInfrastructure
class OneActiveAlertIT {

  static ApiTestServer api;
  static ApiCalls calls;
  static AlertProducer producer;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    producer = new AlertProducer(api);
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  @Test
  @DisplayName(
      "a second episode of the same point and type closes the first (superseded, with a cleared"
          + " event on the stream); a redelivered RAISED of the first does not revive it")
  void laterEpisodeSupersedesAndRedeliveryDoesNotRevive() throws Exception {
    Instant start = now().minus(10, ChronoUnit.MINUTES);
    Alert first = episode(AlertType.WATER_CLASS, "wujiang-water-taipu-01", "wujiang", start);
    Alert second =
        episode(AlertType.WATER_CLASS, "wujiang-water-taipu-01", "wujiang", start.plusSeconds(120));
    String token = api.tokenOf("wujiang-viewer");

    producer.produce(first);
    awaitActive(token, first);
    try (SseStream stream = SseStream.open(api, token, null)) {
      producer.produce(second);
      String secondId = second.alertId();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stateOf(token, first.alertId()).equals("CLEARED"));
      assertThat(activeIds(token, "wujiang-water-taipu-01", "WATER_CLASS"))
          .containsExactly(secondId);
      Map<String, Object> closed = alertOf(token, first.alertId());
      assertThat((String) closed.get("message")).contains("superseded by alert " + secondId);
      assertThat((String) closed.get("messageZh")).contains(secondId);
      assertThat(closed.get("detectedAt")).isNotNull();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  stream.events().stream()
                      .anyMatch(
                          e ->
                              e.name().equals("cleared")
                                  && first.alertId().equals(e.data().get("id"))));
      // the closing comes before the winner's event: at no event id are two of them active
      assertThat(stream.events())
          .extracting(e -> e.name() + " " + e.data().get("id"))
          .containsSubsequence("cleared " + first.alertId(), "raised " + secondId);
    }

    producer.produce(first); // redelivered, e.g. after a consumer restart
    Alert later =
        first.next(AlertState.ESCALATED, AlertSeverity.CRITICAL, Map.of(), "worse", now());
    producer.produce(later); // a late change of the superseded episode
    Alert marker =
        AlertProducer.alert(AlertType.DATA_QUALITY, "wujiang-air-01", "wujiang", PointKind.AIR);
    producer.produce(marker); // one partition: once it is stored, so are the two before it
    awaitActive(token, marker);

    assertThat(stateOf(token, first.alertId())).isEqualTo("CLEARED");
    assertThat(activeIds(token, "wujiang-water-taipu-01", "WATER_CLASS"))
        .containsExactly(second.alertId());
    assertThat(eventStates(first.alertId())).containsExactly("RAISED", "CLEARED");
    assertThat(queryStrings("SELECT superseded_by FROM alert WHERE id = ?", first.alertId()))
        .containsExactly(second.alertId());
  }

  @Test
  @DisplayName(
      "an older episode arriving after the newer one (out of order) is closed on arrival, and the"
          + " newer stays the active one")
  void olderEpisodeArrivingLateIsClosedOnArrival() throws Exception {
    Instant start = now().minus(30, ChronoUnit.MINUTES);
    Alert newer =
        episode(AlertType.NOISE_LIMIT, "jiashan-noise-01", "jiashan", start.plusSeconds(600));
    Alert older = episode(AlertType.NOISE_LIMIT, "jiashan-noise-01", "jiashan", start);
    String token = api.tokenOf("jiashan-viewer");

    producer.produce(newer);
    awaitActive(token, newer);
    producer.produce(older);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls.getList(token, "/api/v1/alerts?status=cleared").stream()
                    .anyMatch(a -> older.alertId().equals(a.get("id"))));

    assertThat(activeIds(token, "jiashan-noise-01", "NOISE_LIMIT"))
        .containsExactly(newer.alertId());
    assertThat((String) alertOf(token, older.alertId()).get("message"))
        .contains("superseded by alert " + newer.alertId());
    assertThat(eventStates(older.alertId())).containsExactly("CLEARED");
    assertThat(eventStates(newer.alertId())).containsExactly("RAISED");
  }

  @Test
  @DisplayName(
      "a delayed alert (late data) shows detectedAt and delayed; its next live change updates both")
  void delayedAlertCarriesDetectionTime() throws Exception {
    Instant observed = now().minus(3, ChronoUnit.HOURS);
    Instant detected = now();
    Alert raised =
        episode(AlertType.AIR_QUALITY, "qingpu-air-02", "qingpu", observed)
            .detected(detected, true, "AQI 230 at 10:00 (data arrived late)", "AQI 230（数据迟到）");
    String token = api.tokenOf("qingpu-viewer");
    try (SseStream stream = SseStream.open(api, token, null)) {
      producer.produce(raised);
      awaitActive(token, raised);
      Map<String, Object> shown = alertOf(token, raised.alertId());
      assertThat(shown).containsEntry("delayed", true);
      assertThat(Instant.parse((String) shown.get("detectedAt"))).isEqualTo(detected);
      assertThat(Instant.parse((String) shown.get("updatedAt"))).isEqualTo(observed);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  stream.events().stream()
                      .anyMatch(e -> raised.alertId().equals(e.data().get("id"))));
      Map<String, Object> streamed =
          stream.events().stream()
              .filter(e -> raised.alertId().equals(e.data().get("id")))
              .findFirst()
              .orElseThrow()
              .data();
      assertThat(streamed).containsEntry("delayed", true);
      assertThat(Instant.parse((String) streamed.get("detectedAt"))).isEqualTo(detected);
    }

    Instant liveAt = now();
    Alert live =
        raised
            .next(
                AlertState.ESCALATED,
                AlertSeverity.CRITICAL,
                Map.of("aqi", 320.0),
                "AQI 320",
                liveAt)
            .detected(liveAt.plusMillis(400), false, "AQI 320", "AQI 320");
    producer.produce(live);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "ESCALATED".equals(stateOf(token, raised.alertId())));
    Map<String, Object> updated = alertOf(token, raised.alertId());
    assertThat(updated).containsEntry("delayed", false);
    assertThat(Instant.parse((String) updated.get("detectedAt"))).isEqualTo(liveAt.plusMillis(400));
  }

  @Test
  @DisplayName(
      "a whole poll stored in one transaction gives what one by one gives: a superseded episode"
          + " closed before the winner, a redelivery ignored, events in the changes' order; the"
          + " same batch again appends nothing")
  void batchOfChangesIsStoredAsOneByOne() throws Exception {
    AlertStore store = api.server.getApplicationContext().getBean(AlertStore.class);
    Instant start = now().minus(20, ChronoUnit.MINUTES);
    Alert first = episode(AlertType.WATER_CLASS, "qingpu-water-batch-01", "qingpu", start);
    Alert second =
        episode(AlertType.WATER_CLASS, "qingpu-water-batch-01", "qingpu", start.plusSeconds(60));
    Alert secondCleared =
        second.next(
            AlertState.CLEARED, second.severity(), Map.of(), "back", start.plusSeconds(600));
    Alert other = episode(AlertType.NOISE_LIMIT, "qingpu-noise-batch-01", "qingpu", start);
    List<AlertStore.Change> batch =
        List.of(
            change(first),
            change(second),
            change(first), // redelivered: the episode is superseded by then
            change(secondCleared),
            change(other),
            change(other)); // redelivered within the same poll

    assertThat(store.recordAll(batch)).isEqualTo(4);
    assertThat(eventStates(first.alertId())).containsExactly("RAISED", "CLEARED");
    assertThat(eventStates(second.alertId())).containsExactly("RAISED", "CLEARED");
    assertThat(eventStates(other.alertId())).containsExactly("RAISED");
    assertThat(
            queryStrings(
                "SELECT alert_id || ' ' || state FROM alert_event WHERE alert_id IN (?, ?, ?)"
                    + " ORDER BY id",
                first.alertId(),
                second.alertId(),
                other.alertId()))
        .containsExactly(
            first.alertId() + " RAISED",
            first.alertId() + " CLEARED",
            second.alertId() + " RAISED",
            second.alertId() + " CLEARED",
            other.alertId() + " RAISED");
    assertThat(store.recordAll(batch)).isZero();
    assertThat(queryStrings("SELECT superseded_by FROM alert WHERE id = ?", first.alertId()))
        .containsExactly(second.alertId());
  }

  @Test
  @DisplayName(
      "two consumers' batches storing changes of the same alerts in opposite orders while users"
          + " acknowledge those alerts: no deadlock, every acknowledgement and change recorded")
  void batchesAndAcknowledgementsDoNotDeadlock() throws Exception {
    AlertStore store = api.server.getApplicationContext().getBean(AlertStore.class);
    Instant start = now().minus(1, ChronoUnit.HOURS);
    List<Alert> alerts = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      alerts.add(episode(AlertType.DATA_QUALITY, "jiashan-air-batch-0" + i, "jiashan", start));
    }
    store.recordAll(alerts.stream().map(OneActiveAlertIT::change).toList());
    String token = api.tokenOf("jiashan-bureau");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // two consumers (replicas) storing changes of the same alerts, in opposite orders
    List<Thread> writers = new ArrayList<>();
    for (boolean reversed : List.of(false, true)) {
      writers.add(
          new Thread(
              () -> {
                try {
                  for (int round = 1; round <= 20; round++) {
                    Instant at = start.plusSeconds(round);
                    List<AlertStore.Change> batch = new ArrayList<>();
                    for (Alert alert : alerts) {
                      batch.add(
                          change(
                              alert.next(
                                  AlertState.ESCALATED,
                                  AlertSeverity.MAJOR,
                                  Map.of("round", (double) round),
                                  "round " + round,
                                  at)));
                    }
                    if (reversed) {
                      Collections.reverse(batch);
                    }
                    store.recordAll(batch);
                  }
                } catch (Throwable e) {
                  failure.set(e);
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Alert alert : alerts) {
      api.http()
          .exchange(
              HttpRequest.POST("/api/v1/alerts/" + alert.alertId() + "/ack", Map.of())
                  .bearerAuth(token));
    }
    for (Thread writer : writers) {
      writer.join(60_000);
    }
    assertThat(failure.get()).isNull();
    for (Alert alert : alerts) {
      assertThat(eventStates(alert.alertId())).contains("ACKNOWLEDGED");
    }
  }

  private static AlertStore.Change change(Alert alert) {
    return new AlertStore.Change(alert, AlertJson.encode(alert));
  }

  private static Alert episode(AlertType type, String pointId, String cityId, Instant start) {
    PointKind kind =
        pointId.contains("-water-")
            ? PointKind.WATER
            : pointId.contains("-noise-") ? PointKind.NOISE : PointKind.AIR;
    return new Alert(
        UUID.randomUUID().toString(),
        type,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        pointId,
        cityId,
        kind,
        Map.of("value", 1.0),
        null,
        type + " at " + pointId,
        null,
        start,
        start,
        null,
        null,
        null);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void awaitActive(String token, Alert alert) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls.getList(token, "/api/v1/alerts").stream()
                    .anyMatch(a -> alert.alertId().equals(a.get("id"))));
  }

  private static List<Object> activeIds(String token, String pointId, String type) {
    return calls.getList(token, "/api/v1/alerts?type=" + type).stream()
        .filter(a -> pointId.equals(a.get("pointId")))
        .map(a -> a.get("id"))
        .toList();
  }

  private static Map<String, Object> alertOf(String token, String id) {
    return calls.getObject(token, "/api/v1/alerts/" + id);
  }

  private static String stateOf(String token, String id) {
    return (String) alertOf(token, id).get("state");
  }

  private static List<String> eventStates(String alertId) throws Exception {
    return queryStrings("SELECT state FROM alert_event WHERE alert_id = ? ORDER BY id", alertId);
  }

  private static List<String> queryStrings(String sql, String... parameters) throws Exception {
    try (Connection connection = api.database();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
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
