package io.envmon.api.review;

import static io.envmon.domain.review.Verdict.INVALID;
import static io.envmon.domain.review.Verdict.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.AlertProducer;
import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.api.problem.Problem;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewMarkJson;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Review of data through the API, against the real InfluxDB and PostgreSQL: a Wujiang point shared
 * with Jiashan, with a day of readings, one of them a PM2.5 spike (900 µg/m³) that the Wujiang
 * bureau invalidates as an instrument fault; one O3 value invalidated and made valid again.
 */
@WithRealInfrastructure
class ReviewIT {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate DAY = LocalDate.of(2026, 10, 5);
  static final Instant MIDNIGHT = DAY.atStartOfDay(SHANGHAI).toInstant();
  static final Instant SPIKE = MIDNIGHT.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10));
  static final Instant O3_REVALIDATED = MIDNIGHT.plus(Duration.ofHours(12).plusMinutes(40));
  static final String POINT = "review-" + UUID.randomUUID().toString().substring(0, 6);

  static ApiTestServer api;
  static ApiCalls calls;
  static Map<String, Object> dayBefore;
  static Map<String, Object> spikeMark;
  static final Map<String, String> alertIds = new HashMap<>();
  static final Map<String, String> tokens = new ConcurrentHashMap<>();

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    Map<String, Object> point = new HashMap<>();
    point.put("id", POINT);
    point.put("cityId", "wujiang");
    point.put("kind", "AIR");
    point.put("name", "review test");
    point.put("lat", 31.1);
    point.put("lon", 120.6);
    point.put("status", "ACTIVE");
    // shared with Jiashan only: no other IT of this JVM reads Wujiang as a Jiashan user
    point.put("sharing", "CITIES");
    point.put("sharedWith", List.of("jiashan"));
    api.http().exchange(HttpRequest.POST("/api/v1/points", point).bearerAuth(token("coordinator")));
    List<AcceptedReading> readings = new ArrayList<>();
    for (int hour = 0; hour < 24; hour++) {
      for (int minute : new int[] {10, 40}) {
        Instant time = MIDNIGHT.plus(Duration.ofHours(hour).plusMinutes(minute));
        double pm25 = time.equals(SPIKE) ? 900.0 : 60.0;
        readings.add(
            InfluxWriter.accepted(
                "wujiang",
                POINT,
                "AIR",
                time,
                Map.of("so2", 10.0, "no2", 40.0, "co", 0.8, "pm10", 70.0, "pm25", pm25, "o3", 40.0),
                Map.of()));
      }
    }
    try (InfluxWriter influx = new InfluxWriter(api)) {
      influx.readings(readings);
    }
    try (AlertProducer producer = new AlertProducer(api)) {
      alertIds.put("on the spike", alert(producer, AlertType.AIR_QUALITY, SPIKE, SPIKE));
      alertIds.put(
          "later",
          alert(
              producer, AlertType.DATA_QUALITY, SPIKE.plusSeconds(3600), SPIKE.plusSeconds(7200)));
    }
    dayBefore = pointDay("jiashan-viewer");
    spikeMark =
        post(
            "wujiang-bureau",
            Map.of("at", SPIKE.toString(), "verdict", "INVALID", "reason", "INSTRUMENT_FAULT"));
    post(
        "wujiang-bureau",
        Map.of(
            "at",
            O3_REVALIDATED.toString(),
            "parameter",
            "o3",
            "verdict",
            "INVALID",
            "reason",
            "OTHER",
            "note",
            "suspected interference"));
    post(
        "coordinator",
        Map.of(
            "from",
            O3_REVALIDATED.minusSeconds(60).toString(),
            "to",
            O3_REVALIDATED.plusSeconds(60).toString(),
            "parameter",
            "o3",
            "verdict",
            "VALID",
            "reason",
            "CALIBRATION"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls
                        .getList(token("coordinator"), "/api/v1/alerts?city=wujiang&status=all")
                        .stream()
                        .filter(a -> alertIds.containsValue((String) a.get("id")))
                        .count()
                    == alertIds.size());
  }

  @Test
  @DisplayName(
      "a point says what the signed-in user may do with its data: raw and marks for its city and"
          + " the coordinator, marking for its bureau and the coordinator")
  void pointSaysWhatTheUserMayDo() {
    Map<String, List<Boolean>> expected =
        Map.of(
            "wujiang-bureau", List.of(true, true),
            "wujiang-viewer", List.of(true, false),
            "jiashan-bureau", List.of(false, false),
            "coordinator", List.of(true, true));
    expected.forEach(
        (user, access) -> {
          Map<String, Object> point = calls.getObject(token(user), "/api/v1/points/" + POINT);
          assertThat(List.of(point.get("rawVisible"), point.get("markable")))
              .as(user)
              .isEqualTo(access);
          assertThat(calls.getList(token(user), "/api/v1/points?city=wujiang"))
              .filteredOn(p -> POINT.equals(p.get("id")))
              .extracting(p -> List.<Object>of(p.get("rawVisible"), p.get("markable")))
              .as(user + " in the list")
              .containsExactly(List.<Object>copyOf(access));
        });
  }

  @Test
  @DisplayName("the invalidated reading stays in the raw series, with the mark that invalidated it")
  void rawSeriesKeepsTheReading() {
    Map<String, Object> spike = readingAt(series("wujiang-viewer", "&view=raw"), SPIKE);
    assertThat(spike).isNotNull();
    assertThat(((Map<?, ?>) spike.get("values")).get("pm25")).isEqualTo(900.0);
    Map<?, ?> review = (Map<?, ?>) ((Map<?, ?>) spike.get("review")).get("pm25");
    assertThat(review.get("verdict")).isEqualTo("INVALID");
    assertThat(review.get("reason")).isEqualTo("INSTRUMENT_FAULT");
    assertThat(review.get("by")).isEqualTo("wujiang-bureau");
    assertThat(review.get("markId")).isEqualTo(spikeMark.get("id"));
    assertThat(series("wujiang-viewer", "&view=raw").get("view")).isEqualTo("raw");
  }

  @Test
  @DisplayName("the reviewed series leaves the invalidated reading out, for its city and others")
  void reviewedSeriesLeavesItOut() {
    for (String user : List.of("wujiang-viewer", "jiashan-viewer", "coordinator")) {
      Map<String, Object> series = series(user, "");
      assertThat(series.get("view")).isEqualTo("reviewed");
      assertThat(readingAt(series, SPIKE)).as(user).isNull();
      assertThat(readings(series)).as(user).hasSize(47);
      assertThat(readings(series)).allMatch(r -> !r.containsKey("review"));
    }
    // the O3 value invalidated and then made valid again by a later mark is there
    Map<String, Object> o3 = readingAt(series("jiashan-viewer", ""), O3_REVALIDATED);
    assertThat(((Map<?, ?>) o3.get("values")).get("o3")).isEqualTo(40.0);
  }

  @Test
  @DisplayName("a viewer of another city gets only the reviewed series: view=raw is 403")
  void anotherCityGetsNoRawValues() {
    HttpClientResponseException refused =
        calls.failure(HttpRequest.GET(seriesUri("&view=raw")).bearerAuth(token("jiashan-viewer")));
    assertThat(refused.getStatus().getCode()).isEqualTo(403);
    assertThat(refused.getResponse().getContentType().orElseThrow().toString())
        .isEqualTo("application/problem+json");
  }

  @Test
  @DisplayName("the hourly bucket of the spike's hour is the reviewed mean; raw view the raw mean")
  void hourlyBucketsFollowTheReview() {
    Instant hour = MIDNIGHT.plus(Duration.ofHours(3));
    assertThat(pm25Bucket(series("wujiang-bureau", "&interval=1h"), hour))
        .containsEntry("mean", 60.0)
        .containsEntry("max", 60.0)
        .containsEntry("count", 1);
    assertThat(pm25Bucket(series("wujiang-bureau", "&interval=1h&view=raw"), hour))
        .containsEntry("mean", 480.0)
        .containsEntry("max", 900.0)
        .containsEntry("count", 2);
    assertThat(pm25Bucket(series("jiashan-viewer", "&interval=1d"), MIDNIGHT))
        .containsEntry("max", 60.0)
        .containsEntry("count", 47);
  }

  @Test
  @DisplayName("that day's daily AQI changes: the spike no longer counts in the PM2.5 24-h mean")
  void dailyAqiFollowsTheReview() {
    Map<String, Object> after = pointDay("jiashan-viewer");
    // the 24-h mean of the hourly means: (23 × 60 + (900 + 60) / 2) / 24 = 77.5, reported 78
    assertThat(pollutant(dayBefore, "pm25").get("value")).isEqualTo(78.0);
    assertThat(pollutant(after, "pm25").get("value")).isEqualTo(60.0);
    assertThat(dayBefore.get("aqi")).isEqualTo(117);
    assertThat(after.get("aqi")).isEqualTo(100);
  }

  @Test
  @DisplayName("every mark is audited: who, when, why, and the invalidated ranges before and after")
  void marksAreAudited() {
    List<AuditRow> rows =
        api
            .server
            .getApplicationContext()
            .getBean(AuditRepository.class)
            .findBySubjectOrderById(POINT)
            .stream()
            .filter(r -> r.action().equals("review.mark"))
            .toList();
    assertThat(rows).hasSize(3);
    AuditRow spike = rows.get(0);
    assertThat(spike.actor()).isEqualTo("wujiang-bureau");
    assertThat(spike.detail())
        .contains("\"reason\":\"INSTRUMENT_FAULT\"")
        .contains("\"before\":{}")
        .contains("\"pm25\":[[\"" + SPIKE + "\",\"" + SPIKE.plusMillis(1) + "\"]]");
    AuditRow revalidated = rows.get(2);
    assertThat(revalidated.actor()).isEqualTo("coordinator");
    assertThat(revalidated.detail())
        .contains(
            "\"before\":{\"o3\":[[\""
                + O3_REVALIDATED
                + "\",\""
                + O3_REVALIDATED.plusMillis(1)
                + "\"]]}")
        .contains("\"after\":{}");
  }

  @Test
  @DisplayName("every mark reaches envmon.review-marks.v1 through the outbox, keyed by the point")
  void marksAreRelayedForTheJobs() throws Exception {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // The topic is the API's to create (kept whole), not the broker's default on a first read.
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    List<ReviewMark> relayed = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(api.reviewMarksTopic));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (record.key().equals(POINT)) {
                    relayed.add(ReviewMarkJson.decode(record.value()));
                  }
                }
                assertThat(relayed).hasSize(3);
              });
    }
    assertThat(relayed).extracting(ReviewMark::verdict).containsExactly(INVALID, INVALID, VALID);
    assertThat(relayed.get(0).id()).isEqualTo(((Number) spikeMark.get("id")).longValue());
    assertThat(relayed.get(0).from()).isEqualTo(SPIKE);
    assertThat(relayed.get(0).parameter()).isNull();
    assertThat(relayed.get(2).parameter()).isEqualTo(Parameter.O3);
    assertThat(topicConfig(api.reviewMarksTopic, TopicConfig.RETENTION_MS_CONFIG))
        .as("the marks' whole history is kept")
        .isEqualTo("-1");
  }

  @Test
  @DisplayName("a mark stored before marks went to the outbox is sent once, at the next start")
  void marksMadeBeforeTheOutboxAreSentAtStart() throws Exception {
    ReviewService service = api.server.getApplicationContext().getBean(ReviewService.class);
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    ReviewMarkRow earlier =
        api.server
            .getApplicationContext()
            .getBean(ReviewMarkRepository.class)
            .save(
                new ReviewMarkRow(
                    null,
                    "jiashan-air-01",
                    from,
                    from.plusSeconds(3600),
                    null,
                    "INVALID",
                    "MAINTENANCE",
                    null,
                    from,
                    "jiashan-bureau"));
    assertThat(service.sendMarksNotYetSent()).isEqualTo(1);
    assertThat(service.sendMarksNotYetSent()).as("sent already").isZero();

    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    List<ReviewMark> relayed = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(api.reviewMarksTopic));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (record.key().equals("jiashan-air-01")) {
                    relayed.add(ReviewMarkJson.decode(record.value()));
                  }
                }
                // other tests of this JVM's server mark the same point: this mark, once
                assertThat(relayed)
                    .extracting(ReviewMark::id)
                    .filteredOn(earlier.id()::equals)
                    .hasSize(1);
              });
    }
  }

  static String topicConfig(String topic, String name) throws Exception {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", api.infrastructure.kafkaBootstrap()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name).value();
    }
  }

  @Test
  @DisplayName("the marks are listed in order to the point's city; another city's users get 403")
  void marksAreListedToTheCity() {
    List<Map<String, Object>> marks =
        calls.getList(token("wujiang-viewer"), "/api/v1/points/" + POINT + "/reviews");
    assertThat(marks)
        .extracting(m -> m.get("verdict"))
        .containsExactly("INVALID", "INVALID", "VALID");
    assertThat(marks.get(1)).containsEntry("note", "suspected interference");
    assertThat(marks.get(0)).containsEntry("from", SPIKE.toString()).doesNotContainKey("parameter");
    assertThat(
            calls.failureStatus(
                HttpRequest.GET("/api/v1/points/" + POINT + "/reviews")
                    .bearerAuth(token("jiashan-viewer"))))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("only the coordinator and the point's city's bureau mark: others 403, unseen 404")
  void onlyTheCitysBureauMarks() {
    Map<String, Object> body =
        Map.of("at", SPIKE.toString(), "verdict", "VALID", "reason", "CALIBRATION");
    for (String user : List.of("jiashan-bureau", "wujiang-emergency", "wujiang-viewer")) {
      assertThat(calls.failureStatus(postRequest(user, POINT, body))).as(user).isEqualTo(403);
    }
    assertThat(calls.failureStatus(postRequest("qingpu-bureau", POINT, body)))
        .as("a point not shared with Qingpu")
        .isEqualTo(404);
    assertThat(calls.getList(token("coordinator"), "/api/v1/points/" + POINT + "/reviews"))
        .hasSize(3);
  }

  @Test
  @DisplayName("bad input is 400 problem+json naming each field, and nothing is marked")
  void badInputNamesTheField() {
    assertThat(fields(Map.of("at", "yesterday", "verdict", "INVALID", "reason", "MAINTENANCE")))
        .containsExactly("at");
    assertThat(
            fields(
                Map.of(
                    "from",
                    SPIKE.toString(),
                    "to",
                    SPIKE.toString(),
                    "verdict",
                    "WRONG",
                    "reason",
                    "OTHER")))
        .containsExactlyInAnyOrder("from", "verdict", "note");
    assertThat(
            fields(
                Map.of(
                    "at",
                    SPIKE.toString(),
                    "parameter",
                    "leq",
                    "verdict",
                    "INVALID",
                    "reason",
                    "MAINTENANCE")))
        .containsExactly("parameter");
    assertThat(fields(Map.of("at", SPIKE.toString(), "reason", "MAINTENANCE")))
        .containsExactly("verdict");
    assertThat(calls.getList(token("coordinator"), "/api/v1/points/" + POINT + "/reviews"))
        .hasSize(3);
  }

  @Test
  @DisplayName("the alerts history marks the alert whose window rested on invalidated data")
  void alertsRestingOnInvalidatedDataAreMarked() {
    Map<String, Boolean> marked = new HashMap<>();
    for (Map<String, Object> alert :
        calls.getList(token("wujiang-viewer"), "/api/v1/alerts?city=wujiang&status=all")) {
      alertIds.forEach(
          (name, id) -> {
            if (id.equals(alert.get("id"))) {
              marked.put(name, (Boolean) alert.get("reviewedInvalid"));
            }
          });
    }
    assertThat(marked).containsEntry("on the spike", true).containsEntry("later", false);
    assertThat(
            calls
                .getObject(
                    token("wujiang-viewer"), "/api/v1/alerts/" + alertIds.get("on the spike"))
                .get("reviewedInvalid"))
        .isEqualTo(true);
  }

  private static String alert(AlertProducer producer, AlertType type, Instant from, Instant to)
      throws Exception {
    Alert alert =
        new Alert(
            UUID.randomUUID().toString(),
            type,
            AlertState.RAISED,
            AlertSeverity.WARNING,
            POINT,
            "wujiang",
            PointKind.AIR,
            Map.of("value", 1.0),
            null,
            type + " at " + POINT,
            null,
            from,
            to,
            null,
            null,
            null);
    producer.produce(alert);
    return alert.alertId();
  }

  /** Each user's token, signed in once (a sign-in costs a bcrypt check). */
  private static String token(String user) {
    return tokens.computeIfAbsent(user, api::tokenOf);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> post(String user, Map<String, Object> body) {
    var response = api.http().exchange(postRequest(user, POINT, body), Map.class);
    assertThat(response.code()).isEqualTo(201);
    return (Map<String, Object>) response.body();
  }

  private static io.micronaut.http.MutableHttpRequest<?> postRequest(
      String user, String point, Map<String, Object> body) {
    return HttpRequest.POST("/api/v1/points/" + point + "/reviews", body).bearerAuth(token(user));
  }

  private static List<String> fields(Map<String, Object> body) {
    HttpClientResponseException e = calls.failure(postRequest("wujiang-bureau", POINT, body));
    assertThat(e.getStatus().getCode()).isEqualTo(400);
    assertThat(e.getResponse().getContentType().orElseThrow().toString())
        .isEqualTo("application/problem+json");
    Problem problem = e.getResponse().getBody(Problem.class).orElseThrow();
    return problem.errors().stream().map(Problem.FieldError::field).toList();
  }

  private static String seriesUri(String query) {
    return "/api/v1/points/"
        + POINT
        + "/readings?from="
        + MIDNIGHT
        + "&to="
        + MIDNIGHT.plus(Duration.ofDays(1))
        + query;
  }

  private static Map<String, Object> series(String user, String query) {
    return calls.getObject(token(user), seriesUri(query));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> readings(Map<String, Object> series) {
    return (List<Map<String, Object>>) series.get("readings");
  }

  private static Map<String, Object> readingAt(Map<String, Object> series, Instant time) {
    return readings(series).stream()
        .filter(r -> Instant.parse((String) r.get("time")).equals(time))
        .findFirst()
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pm25Bucket(Map<String, Object> series, Instant start) {
    return ((List<Map<String, Object>>) series.get("buckets"))
        .stream()
            .filter(b -> Instant.parse((String) b.get("start")).equals(start))
            .map(b -> (Map<String, Object>) ((Map<?, ?>) b.get("values")).get("pm25"))
            .findFirst()
            .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pointDay(String user) {
    Map<String, Object> report =
        calls.getObject(token(user), "/api/v1/reports/air/daily?date=" + DAY + "&point=" + POINT);
    return ((List<Map<String, Object>>) report.get("rows"))
        .stream().filter(r -> POINT.equals(r.get("id"))).findFirst().orElseThrow();
  }

  private static Map<?, ?> pollutant(Map<String, Object> row, String name) {
    return (Map<?, ?>) ((Map<?, ?>) row.get("pollutants")).get(name);
  }
}
