package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.water.WaterClass;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The latest view (readings kept in memory from the readings topic) gives the same answers as the
 * InfluxDB path for the same readings — flags, replays, gaps, windows — and keeps working past a
 * record that does not decode.
 */
@WithRealInfrastructure
class LatestViewIT {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  static ApiTestServer api;
  static InfluxWriter writer;
  static ReadingsService service;
  static LatestView view;
  static final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  static final Instant start = Instant.now();
  static MonitoringPoint air;
  static MonitoringPoint airOnlyHourBefore;
  static MonitoringPoint water;
  static MonitoringPoint noise;
  static MonitoringPoint silent;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    writer = new InfluxWriter(api);
    service = api.server.getApplicationContext().getBean(ReadingsService.class);
    view = api.server.getApplicationContext().getBean(LatestView.class);
    air = point("lv-air-" + run, PointKind.AIR, null, null);
    airOnlyHourBefore = point("lv-air-old-" + run, PointKind.AIR, null, null);
    water =
        point(
            "lv-water-" + run,
            PointKind.WATER,
            new WaterAttributes("taipu", true, WaterClass.III, WaterBody.RIVER, List.of()),
            null);
    noise = point("lv-noise-" + run, PointKind.NOISE, null, NoiseZone.Z1);
    silent = point("lv-silent-" + run, PointKind.AIR, null, null);

    Random random = new Random(42);
    Instant hour = start.truncatedTo(ChronoUnit.HOURS);
    // AIR: every 5 minutes over the last 3 h, all six pollutants, some flagged or missing.
    for (Instant t = hour.minus(Duration.ofHours(3)); t.isBefore(start); t = t.plusSeconds(300)) {
      Map<String, Double> values = new HashMap<>();
      Map<String, String> flags = new HashMap<>();
      for (String p : List.of("pm25", "pm10", "so2", "no2", "o3", "co")) {
        if (random.nextInt(10) == 0) {
          continue; // not measured this time
        }
        values.put(p, p.equals("co") ? 0.2 + random.nextDouble() * 3 : 5 + random.nextInt(300));
        if (random.nextInt(8) == 0) {
          flags.put(p, random.nextBoolean() ? "D" : "M");
        }
      }
      writer.reading("lvcity", air.id(), "AIR", t, values, flags);
    }
    // A replay of one reading (same time, same values) and a correction of another (same time,
    // another PM2.5): InfluxDB overwrites, it does not add.
    Instant replayed = hour.minus(Duration.ofMinutes(40));
    writer.reading("lvcity", air.id(), "AIR", replayed, Map.of("pm25", 75.0), Map.of());
    writer.reading("lvcity", air.id(), "AIR", replayed, Map.of("pm25", 75.0), Map.of());
    writer.reading("lvcity", air.id(), "AIR", replayed, Map.of("pm25", 275.0), Map.of());
    // Only the hour before the last one has data: "latest" falls back to it.
    writer.reading(
        "lvcity",
        airOnlyHourBefore.id(),
        "AIR",
        hour.minus(Duration.ofMinutes(90)),
        Map.of("pm25", 160.0, "o3", 120.0),
        Map.of());
    // WATER: every 30 minutes over 10 h; NH3-N flagged in the newest readings; an item (TP)
    // only older than the 8 h window.
    for (Instant t = start.minus(Duration.ofHours(10));
        t.isBefore(start);
        t = t.plusSeconds(1800)) {
      boolean newest = t.isAfter(start.minus(Duration.ofHours(2)));
      Map<String, Double> values = new HashMap<>();
      values.put("nh3n", 0.3 + random.nextDouble() * 1.5);
      values.put("do", 3 + random.nextDouble() * 5);
      values.put("codmn", 2 + random.nextDouble() * 8);
      if (t.isBefore(start.minus(Duration.ofHours(9)))) {
        values.put("tp", 0.5);
      }
      writer.reading(
          "lvcity", water.id(), "WATER", t, values, newest ? Map.of("nh3n", "C") : Map.of());
    }
    // NOISE: every 10 minutes over 3 h, the newest Leq in maintenance.
    for (Instant t = start.minus(Duration.ofHours(3)); t.isBefore(start); t = t.plusSeconds(600)) {
      boolean newest = !t.isBefore(start.minus(Duration.ofMinutes(10)));
      writer.reading(
          "lvcity",
          noise.id(),
          "NOISE",
          t,
          Map.of("leq", 40 + random.nextDouble() * 30, "lmax", 80.0),
          newest ? Map.of("leq", "M") : Map.of());
    }
    // Too old for any answer.
    writer.reading(
        "lvcity",
        silent.id(),
        "AIR",
        start.minus(Duration.ofHours(10)),
        Map.of("pm25", 50.0),
        Map.of());
  }

  @AfterAll
  static void close() {
    writer.close();
  }

  @Test
  @DisplayName("the view and InfluxDB give the same latest answer for the same readings")
  void theViewAnswersAsInfluxDbDoes() {
    Instant now = Instant.now();
    for (MonitoringPoint point : List.of(air, airOnlyHourBefore, water, noise, silent)) {
      LatestReading fromInflux =
          LatestCalculator.latest(
              point, service.influxNewestFirst(point, now), now, () -> SHANGHAI);
      LatestReading fromView =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(
                  () ->
                      LatestCalculator.latest(
                          point, view.newestFirst(point, now).orElseThrow(), now, () -> SHANGHAI),
                  latest -> latest.equals(fromInflux));
      assertThat(fromView).isEqualTo(fromInflux);
      // and through the view's answer cache, twice (computed, then reused)
      assertThat(view.latest(point, now, SHANGHAI)).contains(fromInflux);
      assertThat(view.latest(point, now, SHANGHAI)).contains(fromInflux);
    }
    // The data made every branch answer something (or, for the silent point, nothing).
    LatestReading airLatest =
        LatestCalculator.latest(air, view.newestFirst(air, now).orElseThrow(), now, () -> SHANGHAI);
    assertThat(airLatest.air()).isNotNull();
    assertThat(airLatest.air().hourStart())
        .isEqualTo(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));
    LatestReading older =
        LatestCalculator.latest(
            airOnlyHourBefore,
            view.newestFirst(airOnlyHourBefore, now).orElseThrow(),
            now,
            () -> SHANGHAI);
    assertThat(older.air().hourStart())
        .isEqualTo(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2)));
    LatestReading waterLatest =
        LatestCalculator.latest(
            water, view.newestFirst(water, now).orElseThrow(), now, () -> SHANGHAI);
    assertThat(waterLatest.water()).isNotNull();
    assertThat(waterLatest.flags()).containsEntry("nh3n", "C");
    LatestReading noiseLatest =
        LatestCalculator.latest(
            noise, view.newestFirst(noise, now).orElseThrow(), now, () -> SHANGHAI);
    assertThat(noiseLatest.noise().measuredAt()).isBefore(noiseLatest.time());
    LatestReading silentLatest =
        LatestCalculator.latest(
            silent, view.newestFirst(silent, now).orElseThrow(), now, () -> SHANGHAI);
    assertThat(silentLatest.time()).isNull();
    assertThat(silentLatest.air()).isNull();
  }

  @Test
  @DisplayName("a replayed reading is counted once in the hourly mean, a correction replaces it")
  void replaysOverwrite() {
    Instant now = Instant.now();
    Instant replayed = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(40));
    List<RecentReading> readings =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> view.newestFirst(air, now).orElseThrow(),
                list -> list.stream().anyMatch(r -> r.time().equals(replayed)));
    List<RecentReading> atThatTime =
        readings.stream().filter(r -> r.time().equals(replayed)).toList();
    assertThat(atThatTime).singleElement().satisfies(r -> assertThat(r.value(0)).isEqualTo(275.0));
  }

  @Test
  @DisplayName("a record that does not decode is counted and skipped; readings after it arrive")
  void anUndecodableRecordIsSkipped() {
    MeterRegistry meters = api.server.getApplicationContext().getBean(MeterRegistry.class);
    double before = meters.counter("envmon.latest.undecodable").count();
    writer.send(
        "lv-garbage".getBytes(StandardCharsets.UTF_8),
        "{\"not\":\"a reading\"".getBytes(StandardCharsets.UTF_8));
    MonitoringPoint after = point("lv-after-" + run, PointKind.AIR, null, null);
    Instant time = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    writer.kafkaOnly("lvcity", after.id(), "AIR", time, Map.of("pm25", 12.0), Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> view.newestFirst(after, Instant.now()).orElseThrow(),
            list -> !list.isEmpty() && list.get(0).time().equals(time));
    assertThat(meters.counter("envmon.latest.undecodable").count()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("GET /readings/latest says it was computed from the view once the view is ready")
  void theEndpointNamesItsSource() {
    String token = api.tokenOf("qingpu-viewer");
    await().atMost(Duration.ofSeconds(30)).until(view::ready);
    HttpResponse<?> response =
        api.http()
            .exchange(
                HttpRequest.GET("/api/v1/readings/latest?city=qingpu").bearerAuth(token),
                String.class);
    assertThat(response.header(ReadingsController.LATEST_SOURCE)).isEqualTo("view");
    assertThat((String) response.body()).startsWith("[{\"pointId\":");
  }

  private static MonitoringPoint point(
      String id, PointKind kind, WaterAttributes waterAttributes, NoiseZone zone) {
    return new MonitoringPoint(
        id,
        "lvcity",
        kind,
        id,
        id,
        31.0,
        120.6,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        waterAttributes,
        zone);
  }
}
