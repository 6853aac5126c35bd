package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Retention and the stored hourly aggregates (docs/infrastructure.md, "Retention"): an API of its
 * own (its own database, raw kept 30 days, series longer than 7 days from the stored hours), twelve
 * days of readings every 10 minutes for two points, swept once.
 */
@WithRealInfrastructure
class RetentionIT {

  static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(13));
  static final Instant END = START.plus(Duration.ofDays(12));

  /**
   * A marked stretch of PM2.5: from 20 minutes into a day's hour to 10 minutes into the next but
   * one.
   */
  static final Instant MARKED_HOUR = START.plus(Duration.ofDays(2));

  static final Instant MARK_FROM = MARKED_HOUR.plus(Duration.ofMinutes(20));
  static final Instant MARK_TO = MARKED_HOUR.plus(Duration.ofMinutes(130));

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;
  static HourlyRollup rollup;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api =
        ApiTestServer.startPrivate(
            infrastructure,
            Map.of("envmon.retention.raw", "720h", "envmon.retention.aggregates-beyond", "168h"));
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    rollup = api.server.getApplicationContext().getBean(HourlyRollup.class);
    List<AcceptedReading> readings = new ArrayList<>();
    int i = 0;
    for (Instant t = START; t.isBefore(END); t = t.plus(Duration.ofMinutes(10)), i++) {
      for (String point : List.of("qingpu-air-01", "qingpu-air-02")) {
        readings.add(
            InfluxWriter.accepted(
                "qingpu",
                point,
                "AIR",
                t,
                Map.of("pm25", 20.0 + (i * 7 % 50) + 0.25, "pm10", 40.0 + (i % 30)),
                i % 17 == 0 ? Map.of("pm25", "D") : Map.of()));
      }
    }
    influx.readings(readings);
    api.http()
        .exchange(
            HttpRequest.POST(
                    "/api/v1/points/qingpu-air-01/reviews",
                    Map.of(
                        "from", MARK_FROM.toString(),
                        "to", MARK_TO.toString(),
                        "parameter", "pm25",
                        "verdict", "INVALID",
                        "reason", "INSTRUMENT_FAULT"))
                .bearerAuth(api.tokenOf("qingpu-bureau")));
    rollup.sweep();
  }

  @AfterAll
  static void close() {
    influx.close();
    api.server.stop();
  }

  @Test
  @DisplayName("raw readings in raw (not the default), the hours forever, the default infinite")
  void retentionPoliciesAreSetUp() {
    try (InfluxDB client = InfluxDBFactory.connect(api.infrastructure.influxUrl())) {
      QueryResult result =
          client.query(new Query("SHOW RETENTION POLICIES ON \"" + api.influxDatabase + "\""));
      Map<String, List<Object>> policies = new HashMap<>();
      for (List<Object> row : result.getResults().get(0).getSeries().get(0).getValues()) {
        policies.put((String) row.get(0), row);
      }
      assertThat(policies.get("raw")).element(1).isEqualTo("720h0m0s");
      assertThat(policies.get("raw")).last().isEqualTo(false);
      assertThat(policies.get("forever")).element(1).isEqualTo("0s");
      // whatever is written without naming a policy (sharing ratios, alerts) is kept
      assertThat(policies.get("autogen")).element(1).isEqualTo("0s");
      assertThat(policies.get("autogen")).last().isEqualTo(true);
    }
    rollup.setUp();
  }

  @Test
  @DisplayName("raw readings older than the retention are refused with the reason; hours answer")
  void rawOlderThanTheRetentionIsRefused() {
    Instant old = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.HOURS);
    String range = "from=" + old + "&to=" + old.plus(Duration.ofHours(2));
    HttpClientResponseException refused =
        calls.failure(
            HttpRequest.GET("/api/v1/points/qingpu-air-01/readings?" + range)
                .bearerAuth(api.tokenOf("qingpu-viewer")));
    assertThat(refused.getStatus().getCode()).isEqualTo(400);
    assertThat(refused.getResponse().getBody(String.class).orElseThrow())
        .contains("raw readings are kept 720 hours")
        .contains("interval=1h");
    assertThat(
            series("qingpu-viewer", "qingpu-air-01", old, old.plus(Duration.ofHours(2)), "1h", ""))
        .containsEntry("source", "aggregates");
  }

  @Test
  @DisplayName("a long hourly series comes from the stored hours and equals the one from raw")
  void longHourlySeriesEqualsRaw() {
    Instant middle = START.plus(Duration.ofDays(6));
    Map<String, Object> stored = series("qingpu-viewer", "qingpu-air-01", START, END, "1h", "");
    Map<String, Object> first = series("qingpu-viewer", "qingpu-air-01", START, middle, "1h", "");
    Map<String, Object> second = series("qingpu-viewer", "qingpu-air-01", middle, END, "1h", "");
    assertThat(stored).containsEntry("source", "aggregates");
    assertThat(first).containsEntry("source", "raw");
    assertThat(buckets(stored)).hasSize(12 * 24);
    assertSameBuckets(buckets(stored), concat(buckets(first), buckets(second)));
  }

  @Test
  @DisplayName("a long daily series (the city's local days) from the stored hours equals raw")
  void longDailySeriesEqualsRaw() {
    // Asia/Shanghai midnight: 16:00 UTC
    Instant localMidnight = START.plus(Duration.ofDays(6)).minus(Duration.ofHours(8));
    Map<String, Object> stored = series("qingpu-viewer", "qingpu-air-01", START, END, "1d", "");
    Map<String, Object> first =
        series("qingpu-viewer", "qingpu-air-01", START, localMidnight, "1d", "");
    Map<String, Object> second =
        series("qingpu-viewer", "qingpu-air-01", localMidnight, END, "1d", "");
    assertThat(stored).containsEntry("source", "aggregates");
    assertThat(buckets(stored)).hasSize(13);
    assertSameBuckets(buckets(stored), concat(buckets(first), buckets(second)));
  }

  @Test
  @DisplayName("the reviewed series leaves the marked values out of the stored hours, as from raw")
  void reviewMarksCutTheStoredHours() {
    Instant to = MARKED_HOUR.plus(Duration.ofHours(3));
    Map<String, Object> reviewed =
        hour(series("qingpu-viewer", "qingpu-air-01", START, END, "1h", ""));
    Map<String, Object> raw =
        hour(series("qingpu-bureau", "qingpu-air-01", START, END, "1h", "&view=raw"));
    Map<String, Object> fromRaw =
        hour(series("qingpu-viewer", "qingpu-air-01", MARKED_HOUR, to, "1h", ""));
    // the mark cuts into the first and last hour and covers the one between
    assertThat((Integer) pm25(reviewed, MARKED_HOUR).get("count"))
        .isPositive()
        .isLessThan((Integer) pm25(raw, MARKED_HOUR).get("count"));
    assertThat(pm25(reviewed, MARKED_HOUR.plus(Duration.ofHours(1)))).isNull();
    assertThat(pm25(raw, MARKED_HOUR.plus(Duration.ofHours(1)))).isNotNull();
    assertThat((Integer) pm25(reviewed, MARKED_HOUR.plus(Duration.ofHours(2))).get("count"))
        .isPositive()
        .isLessThan((Integer) pm25(raw, MARKED_HOUR.plus(Duration.ofHours(2))).get("count"));
    for (int h = 0; h < 3; h++) {
      Instant hour = MARKED_HOUR.plus(Duration.ofHours(h));
      assertThat(pm25(reviewed, hour)).isEqualTo(pm25(fromRaw, hour));
    }
  }

  @Test
  @DisplayName("a late reading updates its stored hour at the next sweep; an unmarked one does not")
  void lateReadingUpdatesItsStoredHour() {
    Instant hour = START.plus(Duration.ofDays(3)).plus(Duration.ofHours(5));
    Instant next = hour.plus(Duration.ofHours(1));
    Map<String, Object> before =
        pm25(hour(series("qingpu-viewer", "qingpu-air-02", START, END, "1h", "")), hour);
    // written past the stream jobs, without the mark of its hour: the stored hour stays
    influx.writeReading(
        Point.measurement("reading")
            .time(hour.plus(Duration.ofMinutes(7)).toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", "qingpu")
            .tag("point", "qingpu-air-02")
            .tag("kind", "AIR")
            .addField("pm25", 999.0)
            .addField("pm25_flag", "N")
            .build());
    assertThat(pm25(hour(series("qingpu-viewer", "qingpu-air-02", START, END, "1h", "")), hour))
        .isEqualTo(before);
    // a late reading as the jobs write it marks its hour; the sweep computes the whole hour again
    influx.reading(
        "qingpu",
        "qingpu-air-02",
        "AIR",
        hour.plus(Duration.ofMinutes(9)),
        Map.of("pm25", 500.0),
        Map.of());
    rollup.sweep();
    Map<String, Object> after =
        pm25(hour(series("qingpu-viewer", "qingpu-air-02", START, END, "1h", "")), hour);
    Map<String, Object> fromRaw =
        pm25(hour(series("qingpu-viewer", "qingpu-air-02", hour, next, "1h", "")), hour);
    assertThat(after).isEqualTo(fromRaw);
    assertThat(after.get("count")).isEqualTo((Integer) before.get("count") + 2);
    assertThat(after.get("max")).isEqualTo(999.0);
  }

  /**
   * Two years back, far beyond the 30 days of raw readings: the local day (Asia/Shanghai) of the
   * imports below.
   */
  static final Instant OLD_DAY =
      LocalDate.now(ZoneOffset.UTC)
          .minusYears(2)
          .atStartOfDay(ZoneId.of("Asia/Shanghai"))
          .toInstant();

  @Test
  @DisplayName(
      "an import of readings older than the retention stores their hours: 1h/1d series, reports and"
          + " the assessment read them; an import of the same readings replaces them")
  void oldImportedReadingsAreStoredAsHours() throws Exception {
    // qingpu-air-01: a reading every 20 minutes all day, pm25 30 + the hour % 5; one recent one
    StringBuilder air = new StringBuilder("time_utc,point,pm25,pm25_flag\r\n");
    for (int i = 0; i < 72; i++) {
      Instant t = OLD_DAY.plus(Duration.ofMinutes(20L * i));
      air.append(t).append(",qingpu-air-01,").append(30 + (i / 3) % 5).append(",N\r\n");
    }
    Instant recent = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    air.append(recent).append(",qingpu-air-01,12,N\r\n");
    Map<String, Object> airImport = imported(air.toString());
    assertThat(airImport)
        .containsEntry("accepted", 73)
        .containsEntry("hoursOnly", 72)
        .containsEntry("refused", 0);

    Instant nextDay = OLD_DAY.plus(Duration.ofDays(1));
    Map<String, Object> hourly =
        series("qingpu-viewer", "qingpu-air-01", OLD_DAY, nextDay, "1h", "");
    assertThat(hourly).containsEntry("source", "aggregates");
    assertThat(buckets(hourly)).hasSize(24);
    for (int h = 0; h < 24; h++) {
      Map<String, Object> pm25 = pm25(hour(hourly), OLD_DAY.plus(Duration.ofHours(h)));
      assertThat(pm25).containsEntry("count", 3);
      assertThat(((Number) pm25.get("mean")).doubleValue()).isEqualTo(30.0 + h % 5);
    }
    Map<String, Object> daily =
        series("qingpu-viewer", "qingpu-air-01", OLD_DAY, nextDay, "1d", "");
    assertThat(buckets(daily)).hasSize(1);
    assertThat(pm25(hour(daily), OLD_DAY)).containsEntry("count", 72);
    assertThat(((Number) pm25(hour(daily), OLD_DAY).get("mean")).doubleValue())
        .isCloseTo(30 + 46.0 / 24, within(1e-9));
    // nothing was left staged, nothing went to raw (InfluxDB would have dropped it)
    assertThat(influxCount("SELECT count(*) FROM \"forever\".\"import_staging\"")).isZero();
    assertThat(
            influxCount(
                "SELECT count(pm25) FROM \"raw\".\"reading\" WHERE time < " + nanos(nextDay)))
        .isZero();

    // the export: raw from before the retention is refused, hourly rows come from the stored hours
    String export =
        "/api/v1/export/readings?kind=AIR&points=qingpu-air-01&from=" + OLD_DAY + "&to=" + nextDay;
    assertThat(
            calls.failureStatus(HttpRequest.GET(export).bearerAuth(api.tokenOf("qingpu-bureau"))))
        .isEqualTo(400);
    String hourlyCsv =
        api.http()
            .retrieve(
                HttpRequest.GET(export + "&interval=1h").bearerAuth(api.tokenOf("qingpu-bureau")),
                String.class);
    assertThat(hourlyCsv.lines().count()).as(hourlyCsv).isEqualTo(25);

    // the daily air report of that day: 24 valid hourly means from the stored hours
    Map<String, Object> report =
        calls.getObject(
            api.tokenOf("qingpu-viewer"),
            "/api/v1/reports/air/daily?date="
                + LocalDate.ofInstant(
                    OLD_DAY.plus(Duration.ofHours(12)), ZoneId.of("Asia/Shanghai"))
                + "&point=qingpu-air-01");
    @SuppressWarnings("unchecked")
    Map<String, Object> row = ((List<Map<String, Object>>) report.get("rows")).get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> reportPm25 =
        ((Map<String, Map<String, Object>>) row.get("pollutants")).get("pm25");
    assertThat(reportPm25).containsEntry("basis", 24).containsEntry("value", 32.0);

    // the assessment at noon, the point registered before it (its registry record backdated): the
    // newest stored hour before noon counts the point
    Instant noon = OLD_DAY.plus(Duration.ofHours(12));
    try (Connection connection =
            DriverManager.getConnection(
                api.infrastructure.postgresJdbcUrl(),
                api.infrastructure.postgresUser(),
                api.infrastructure.postgresPassword());
        PreparedStatement backdate =
            connection.prepareStatement(
                "UPDATE "
                    + api.postgresSchema
                    + ".outbox SET created_at = ? WHERE message_key = 'qingpu-air-01'")) {
      backdate.setTimestamp(1, Timestamp.from(OLD_DAY.minus(Duration.ofDays(30))));
      assertThat(backdate.executeUpdate()).isPositive();
    }
    Map<String, Object> assessment =
        calls.getObject(
            api.tokenOf("qingpu-viewer"), "/api/v1/assessments/l3p1-a1?city=qingpu&at=" + noon);
    Map<?, ?> evidence =
        ((List<?>) assessment.get("points"))
            .stream()
                .map(p -> (Map<?, ?>) p)
                .filter(p -> p.get("id").equals("qingpu-air-01"))
                .findFirst()
                .orElseThrow();
    assertThat(evidence.get("counted")).as(evidence.toString()).isEqualTo(true);
    Map<?, ?> last = (Map<?, ?>) evidence.get("lastValidReading");
    assertThat(last.get("observedAt")).isEqualTo(noon.minus(Duration.ofHours(1)).toString());
    assertThat((String) last.get("receivedAtNote")).contains("start of the stored hour");

    // the same readings again with other values: the hours are replaced, not doubled
    Map<String, Object> again =
        imported(air.toString().replace(",qingpu-air-01,3", ",qingpu-air-01,4"));
    assertThat(again).containsEntry("hoursOnly", 72);
    Map<String, Object> replaced =
        pm25(hour(series("qingpu-viewer", "qingpu-air-01", OLD_DAY, nextDay, "1h", "")), OLD_DAY);
    assertThat(replaced).containsEntry("count", 3).containsEntry("mean", 40.0);

    // the monthly water report: the month's mean is of the readings, not of the hours' means
    String water =
        String.join(
            "\r\n",
            "time_utc,point,nh3n,nh3n_flag",
            OLD_DAY.plus(Duration.ofHours(3)) + ",qingpu-water-taipu-01,0.4,N",
            OLD_DAY.plus(Duration.ofMinutes(200)) + ",qingpu-water-taipu-01,0.6,N",
            OLD_DAY.plus(Duration.ofHours(7)) + ",qingpu-water-taipu-01,1.1,N",
            "");
    assertThat(imported(water)).containsEntry("hoursOnly", 3);
    Map<String, Object> monthly =
        calls.getObject(
            api.tokenOf("qingpu-viewer"),
            "/api/v1/reports/water/monthly?month="
                + YearMonth.from(
                    OLD_DAY.plus(Duration.ofHours(12)).atZone(ZoneId.of("Asia/Shanghai")))
                + "&point=qingpu-water-taipu-01");
    @SuppressWarnings("unchecked")
    Map<String, Object> nh3n =
        ((Map<String, Map<String, Object>>)
                ((List<Map<String, Object>>) monthly.get("rows")).get(0).get("items"))
            .get("nh3n");
    assertThat(nh3n).containsEntry("samples", 3);
    assertThat(((Number) nh3n.get("mean")).doubleValue()).isCloseTo(0.7, within(1e-9));
  }

  /** Uploads a CSV of qingpu's readings as its bureau and waits until the import is DONE. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> imported(String csv) {
    String token = api.tokenOf("qingpu-bureau");
    Map<String, Object> queued =
        api.http()
            .retrieve(
                HttpRequest.POST("/api/v1/imports?city=qingpu", csv)
                    .contentType("text/csv")
                    .bearerAuth(token),
                Map.class);
    String location = "/api/v1/imports/" + queued.get("id");
    Map<String, Object> status = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              status.clear();
              status.putAll(calls.getObject(token, location));
              return !List.of("QUEUED", "RUNNING").contains(status.get("status"));
            });
    assertThat(status.get("status")).as(status.toString()).isEqualTo("DONE");
    return status;
  }

  private static int influxCount(String query) {
    try (InfluxDB client = InfluxDBFactory.connect(api.infrastructure.influxUrl())) {
      QueryResult result = client.query(new Query(query, api.influxDatabase));
      assertThat(result.getResults().get(0).getError()).isNull();
      List<QueryResult.Series> series = result.getResults().get(0).getSeries();
      return series == null ? 0 : ((Number) series.get(0).getValues().get(0).get(1)).intValue();
    }
  }

  private static String nanos(Instant instant) {
    return InfluxReader.nanos(instant);
  }

  private static Map<String, Object> series(
      String user, String point, Instant from, Instant to, String interval, String extra) {
    return calls.getObject(
        api.tokenOf(user),
        "/api/v1/points/"
            + point
            + "/readings?from="
            + from
            + "&to="
            + to
            + "&interval="
            + interval
            + extra);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> buckets(Map<String, Object> series) {
    return (List<Map<String, Object>>) series.get("buckets");
  }

  private static List<Map<String, Object>> concat(
      List<Map<String, Object>> a, List<Map<String, Object>> b) {
    List<Map<String, Object>> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The buckets by their start. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> hour(Map<String, Object> series) {
    Map<String, Object> byStart = new HashMap<>();
    for (Map<String, Object> bucket : buckets(series)) {
      byStart.put((String) bucket.get("start"), bucket.get("values"));
    }
    return byStart;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pm25(Map<String, Object> byStart, Instant start) {
    Map<String, Object> values = (Map<String, Object>) byStart.get(start.toString());
    return values == null ? null : (Map<String, Object>) values.get("pm25");
  }

  /** Same starts, parameters, counts, minima and maxima; means equal but for rounding. */
  @SuppressWarnings("unchecked")
  private static void assertSameBuckets(
      List<Map<String, Object>> actual, List<Map<String, Object>> expected) {
    assertThat(actual)
        .extracting(b -> b.get("start"))
        .isEqualTo(expected.stream().map(b -> b.get("start")).toList());
    for (int i = 0; i < actual.size(); i++) {
      Map<String, Map<String, Object>> got =
          (Map<String, Map<String, Object>>) actual.get(i).get("values");
      Map<String, Map<String, Object>> want =
          (Map<String, Map<String, Object>>) expected.get(i).get("values");
      assertThat(got.keySet())
          .as("parameters of %s", actual.get(i).get("start"))
          .isEqualTo(want.keySet());
      got.forEach(
          (parameter, stats) -> {
            Map<String, Object> other = want.get(parameter);
            assertThat(stats.get("count")).isEqualTo(other.get("count"));
            assertThat(stats.get("min")).isEqualTo(other.get("min"));
            assertThat(stats.get("max")).isEqualTo(other.get("max"));
            assertThat(((Number) stats.get("mean")).doubleValue())
                .isCloseTo(((Number) other.get("mean")).doubleValue(), within(1e-9));
          });
    }
  }
}
