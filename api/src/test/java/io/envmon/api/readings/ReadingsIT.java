package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Readings from the real InfluxDB, written here as the stream jobs write them. */
@WithRealInfrastructure
class ReadingsIT {

  static final Instant DAY = Instant.parse("2026-01-10T00:00:00Z");

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;
  static Instant lastHour;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    // qingpu-air-01 on a past day: three readings in hour 00, one flagged D (fault).
    influx.reading(
        "qingpu",
        "qingpu-air-01",
        "AIR",
        DAY.plusSeconds(60),
        Map.of("pm25", 30.0, "pm10", 60.0),
        Map.of());
    influx.reading(
        "qingpu", "qingpu-air-01", "AIR", DAY.plusSeconds(1800), Map.of("pm25", 50.0), Map.of());
    influx.reading(
        "qingpu",
        "qingpu-air-01",
        "AIR",
        DAY.plusSeconds(3000),
        Map.of("pm25", 900.0),
        Map.of("pm25", "D"));
    influx.reading(
        "qingpu",
        "qingpu-air-01",
        "AIR",
        DAY.plusSeconds(3600 + 60),
        Map.of("pm25", 10.0),
        Map.of());

    // The last complete hour, for "latest".
    lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    Instant inLastHour = lastHour.plus(Duration.ofMinutes(30));
    influx.reading(
        "jiashan",
        "jiashan-air-01",
        "AIR",
        inLastHour,
        // with the station's meteorological factors (HJ 212 a01001–a01008): stored, shown, not
        // rated
        Map.of(
            "pm25", 80.0,
            "pm10", 60.0,
            "air_temp", -3.5,
            "rh", 88.0,
            "pressure", 102.1,
            "wind_speed", 2.4,
            "wind_dir", 315.0),
        Map.of());
    influx.reading(
        "wujiang",
        "wujiang-water-taipu-01",
        "WATER",
        inLastHour,
        Map.of("nh3n", 0.8, "do", 7.5),
        Map.of());
    influx.reading(
        "wujiang", "wujiang-noise-01", "NOISE", inLastHour, Map.of("leq", 75.0), Map.of());
    influx.reading("wujiang", "wujiang-air-02", "AIR", inLastHour, Map.of("pm25", 20.0), Map.of());
  }

  @AfterAll
  static void close() {
    influx.close();
  }

  @Test
  @DisplayName("raw readings of a point come back in time order with their flags")
  void rawReadingsInOrder() {
    Map<String, Object> series =
        calls.getObject(
            api.tokenOf("qingpu-viewer"),
            "/api/v1/points/qingpu-air-01/readings?from=2026-01-10T00:00:00Z&to=2026-01-10T02:00:00Z");
    List<?> readings = list(series.get("readings"));
    assertThat(readings).hasSize(4);
    Map<?, ?> first = (Map<?, ?>) readings.get(0);
    assertThat(first.get("time")).isEqualTo("2026-01-10T00:01:00Z");
    assertThat(((Map<?, ?>) first.get("values")).get("pm25")).isEqualTo(30.0);
    Map<?, ?> faulty = (Map<?, ?>) readings.get(2);
    assertThat(((Map<?, ?>) faulty.get("flags")).get("pm25")).isEqualTo("D");
  }

  @Test
  @DisplayName("hourly buckets hold mean, min and max of the valid values only")
  void hourlyBucketsOfValidValues() {
    Map<String, Object> series =
        calls.getObject(
            api.tokenOf("wujiang-viewer"),
            "/api/v1/points/qingpu-air-01/readings?from=2026-01-10T00:00:00Z&to=2026-01-10T02:00:00Z&interval=1h");
    List<?> buckets = list(series.get("buckets"));
    assertThat(buckets).hasSize(2);
    Map<?, ?> first = (Map<?, ?>) buckets.get(0);
    assertThat(first.get("start")).isEqualTo("2026-01-10T00:00:00Z");
    Map<?, ?> pm25 = (Map<?, ?>) ((Map<?, ?>) first.get("values")).get("pm25");
    assertThat(pm25.get("mean")).isEqualTo(40.0);
    assertThat(pm25.get("min")).isEqualTo(30.0);
    assertThat(pm25.get("max")).isEqualTo(50.0);
    assertThat(pm25.get("count")).isEqualTo(2);
  }

  @Test
  @DisplayName("daily buckets start at the city's local midnight")
  void dailyBucketsAtLocalMidnight() {
    Map<String, Object> series =
        calls.getObject(
            api.tokenOf("qingpu-viewer"),
            "/api/v1/points/qingpu-air-01/readings?from=2026-01-09T00:00:00Z&to=2026-01-11T00:00:00Z&interval=1d");
    Map<?, ?> first = (Map<?, ?>) (list(series.get("buckets"))).get(0);
    assertThat(first.get("start")).isEqualTo("2026-01-09T16:00:00Z");
  }

  @Test
  @DisplayName("an inverted range, a too long raw range, a bad interval or time are 400 problems")
  void badRangesAreRejected() {
    String token = api.tokenOf("qingpu-viewer");
    String base = "/api/v1/points/qingpu-air-01/readings";
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(base + "?from=2026-01-10T02:00:00Z&to=2026-01-10T00:00:00Z")
                    .bearerAuth(token)))
        .isEqualTo(400);
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(base + "?from=2020-01-01T00:00:00Z&to=2026-01-10T00:00:00Z")
                    .bearerAuth(token)))
        .isEqualTo(400);
    assertThat(calls.failureStatus(HttpRequest.GET(base + "?interval=5m").bearerAuth(token)))
        .isEqualTo(400);
    var failure = calls.failure(HttpRequest.GET(base + "?from=yesterday").bearerAuth(token));
    assertThat(failure.getStatus().getCode()).isEqualTo(400);
    Map<?, ?> problem = failure.getResponse().getBody(Map.class).orElseThrow();
    assertThat(((Map<?, ?>) (list(problem.get("errors"))).get(0)).get("field")).isEqualTo("from");
  }

  @Test
  @DisplayName("latest AIR carries the hourly AQI, its standard, category and primary pollutant")
  void latestAirHasHourlyAqi() {
    Map<String, Object> latest = latestOf("jiashan-viewer", "jiashan", "AIR", "jiashan-air-01");
    Map<?, ?> air = (Map<?, ?>) latest.get("air");
    assertThat(air.get("hourStart")).isEqualTo(lastHour.toString());
    assertThat((Integer) air.get("aqi")).isBetween(101, 150);
    assertThat(air.get("category")).isEqualTo("LIGHTLY_POLLUTED");
    assertThat(list(air.get("primaryPollutants"))).containsExactly("pm25");
    // the hour is after 2026-03-01 00:00 +08:00: PM2.5 80 by HJ 633-2026 is 119 (2012: 107)
    assertThat(air.get("aqiStandard")).isEqualTo("HJ 633-2026");
    assertThat(air.get("aqi")).isEqualTo(119);
    assertThat(air.get("aqiPublished")).isEqualTo(true);
    // the meteorological factors are among the values and out of the AQI
    Map<String, Object> values = new java.util.HashMap<>();
    ((Map<?, ?>) latest.get("values")).forEach((k, v) -> values.put(String.valueOf(k), v));
    assertThat(values)
        .containsEntry("air_temp", -3.5)
        .containsEntry("rh", 88.0)
        .containsEntry("pressure", 102.1)
        .containsEntry("wind_speed", 2.4)
        .containsEntry("wind_dir", 315.0);
    assertThat(((Map<?, ?>) air.get("iaqi")).keySet())
        .extracting(String::valueOf)
        .containsOnly("pm25", "pm10");
  }

  @Test
  @DisplayName("latest WATER carries the section class and whether it meets the target")
  void latestWaterHasClassAndCompliance() {
    Map<?, ?> water =
        (Map<?, ?>)
            latestOf("qingpu-viewer", "wujiang", "WATER", "wujiang-water-taipu-01").get("water");
    assertThat(water.get("sectionClass")).isEqualTo("III");
    assertThat(water.get("targetClass")).isEqualTo("II");
    assertThat(water.get("compliant")).isEqualTo(false);
    assertThat(list(water.get("itemsWorseThanTarget"))).containsExactly("nh3n");
  }

  @Test
  @DisplayName("latest NOISE carries the zone's limit for the period and the compliance")
  void latestNoiseHasCompliance() {
    Map<?, ?> noise =
        (Map<?, ?>) latestOf("wujiang-viewer", "wujiang", "NOISE", "wujiang-noise-01").get("noise");
    assertThat(noise.get("zone")).isEqualTo("4a");
    assertThat(noise.get("compliant")).isEqualTo(false);
    assertThat((Integer) noise.get("limitDbA")).isIn(70, 55);
    // read with wujiang's night window (the demo keeps GB 3096-2008's 22:00-06:00)
    assertThat(noise.get("night")).isEqualTo("22:00-06:00");
  }

  @Test
  @DisplayName("latest leaves out other cities' PRIVATE points")
  void latestLeavesOutPrivatePoints() {
    List<Map<String, Object>> latest =
        calls.getList(api.tokenOf("qingpu-viewer"), "/api/v1/readings/latest?city=wujiang");
    assertThat(latest).extracting(l -> l.get("pointId")).doesNotContain("wujiang-air-02");
    assertThat(latest).extracting(l -> l.get("pointId")).contains("wujiang-air-01");
    assertThat(calls.getList(api.tokenOf("wujiang-viewer"), "/api/v1/readings/latest?kind=AIR"))
        .extracting(l -> l.get("pointId"))
        .contains("wujiang-air-02");
  }

  /**
   * The point's entry in "latest", once it has its reading: the latest view follows the readings
   * topic, so it has a reading some milliseconds after it was produced.
   */
  private Map<String, Object> latestOf(String user, String city, String kind, String pointId) {
    String token = api.tokenOf(user);
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls
                    .getList(token, "/api/v1/readings/latest?city=" + city + "&kind=" + kind)
                    .stream()
                    .filter(l -> l.get("pointId").equals(pointId))
                    .findFirst()
                    .orElseThrow(),
            latest -> latest.get("time") != null);
  }

  static java.util.List<Object> list(Object value) {
    return new java.util.ArrayList<>((java.util.List<?>) value);
  }
}
