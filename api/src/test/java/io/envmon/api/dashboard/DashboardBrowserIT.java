package io.envmon.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.time.LocalTimes;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (npm, installed with
 * {@code npm ci} into {@code target/browser-test}) runs {@code src/test/browser/dashboard.mjs}
 * against the real API, PostgreSQL, Kafka and InfluxDB of the run. The script reports each check on
 * its stdout; alerts are produced to the run's alerts topic once the script has the alert console
 * open. Screenshots go to {@code target/screenshots/}; {@code
 * -Denvmon.screenshots.dir=../docs/screenshots} refreshes the ones shown in the README (a run
 * leaves the working tree clean otherwise).
 */
@WithRealInfrastructure
class DashboardBrowserIT {

  private static final Path SOURCES = Path.of("src/test/browser");
  private static final Path WORK = Path.of("target/browser-test");
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("envmon.screenshots.dir", "target/screenshots"));

  /** The day of the daily report the browser opens (a full day of readings is written). */
  private static final LocalDate REPORT_DATE = LocalDate.of(2026, 11, 22);

  private static final List<String> SHOTS =
      List.of(
          "login.png",
          "map.png",
          "review.png",
          "ratios.png",
          "alerts.png",
          "manage.png",
          "report.png",
          "report-print.png",
          "assessment-print.png",
          "map-en.png",
          "alerts-large-screen.png");

  @Test
  @DisplayName(
      "a bureau signs in, sees shared but not private points, marks a range of its point's chart"
          + " invalid, acknowledges a live alert, manages a point (field error, create, change,"
          + " decommission), switches language; another city's viewer cannot mark")
  void bureauUsesTheDashboard(Infrastructure infrastructure) throws Exception {
    String chromium = Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium");
    assertThat(Path.of(chromium))
        .as("Chromium (Debian package chromium; ./envmon test installs it)")
        .isExecutable();
    ApiTestServer api = ApiTestServer.start(infrastructure);
    Instant latestReading = seedInflux(api);
    installPlaywright();
    ZoneId shanghai = ZoneId.of("Asia/Shanghai"); // the demo cities' zone (GET /cities)

    // A WATER_CLASS alert from data that arrived late (a gateway back-filling after an outage),
    // there before the browser signs in: marked delayed, with its observation and detection times.
    Alert delayed = delayedAlert();
    try (KafkaProducer<String, byte[]> producer = producer(infrastructure)) {
      producer
          .send(new ProducerRecord<>(api.alertsTopic, delayed.alertId(), AlertJson.encode(delayed)))
          .get(10, TimeUnit.SECONDS);
    }
    ApiCalls calls = new ApiCalls(api);
    await("the delayed alert stored")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                calls.getList(api.tokenOf("qingpu-viewer"), "/api/v1/alerts").stream()
                    .anyMatch(a -> delayed.alertId().equals(a.get("id"))));

    String newPoint = "qingpu-air-ui" + UUID.randomUUID().toString().substring(0, 6);
    String reviewNote = "browser test " + UUID.randomUUID().toString().substring(0, 8);
    ProcessBuilder builder =
        new ProcessBuilder("node", "dashboard.mjs")
            .directory(WORK.toFile())
            .redirectErrorStream(false);
    builder.environment().put("BASE_URL", api.server.getURL().toString());
    builder.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().normalize().toString());
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("NEW_POINT_ID", newPoint);
    // the times the page must show: the city's local time with its offset, whatever the browser's
    // zone (the script runs the browser in America/New_York)
    builder.environment().put("LATEST_TIME", LocalTimes.format(latestReading, shanghai));
    builder.environment().put("DELAYED_ALERT_ID", delayed.alertId());
    builder.environment().put("REPORT_DATE", REPORT_DATE.toString());
    builder.environment().put("REVIEW_NOTE", reviewNote);
    builder
        .environment()
        .put(
            "ASSESS_AT",
            LocalDateTime.now(shanghai).plusMinutes(2).truncatedTo(ChronoUnit.MINUTES).toString());
    builder.environment().put("DELAYED_OBSERVED", LocalTimes.format(delayed.updatedAt(), shanghai));
    builder
        .environment()
        .put("DELAYED_DETECTED", LocalTimes.format(delayed.detectedAt(), shanghai));
    Process browser = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    StringBuilder errors = new StringBuilder();
    Thread out = drain(browser.getInputStream(), lines::add);
    Thread err = drain(browser.getErrorStream(), line -> errors.append(line).append('\n'));

    try (KafkaProducer<String, byte[]> producer = producer(infrastructure)) {
      await("the alert console open")
          .atMost(Duration.ofSeconds(90))
          .until(() -> alive(browser, lines, errors) && lines.contains("AWAIT_ALERT"));
      // The stream starts with the next change after the browser subscribed: produce until one
      // arrives live (as AlertsIT does): a JOINT alert for Qingpu from Wujiang, sent again with a
      // later updatedAt each time (one episode: a new one would close the one the page may be about
      // to acknowledge, one active alert per point and type).
      List<String> produced = new CopyOnWriteArrayList<>();
      Alert joint = jointAlert();
      await("an alert shown live")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                if (seen(lines, "ALERT_SEEN ").isPresent()) {
                  return true;
                }
                alive(browser, lines, errors);
                Alert alert =
                    joint.next(
                        AlertState.RAISED,
                        joint.severity(),
                        joint.values(),
                        joint.message(),
                        Instant.now().truncatedTo(ChronoUnit.MILLIS));
                produced.add(alert.alertId());
                producer
                    .send(
                        new ProducerRecord<>(
                            api.alertsTopic, alert.alertId(), AlertJson.encode(alert)))
                    .get(10, TimeUnit.SECONDS);
                return false;
              });
      String alertId = seen(lines, "ALERT_SEEN ").orElseThrow();
      assertThat(produced).contains(alertId);

      if (!browser.waitFor(120, TimeUnit.SECONDS)) {
        browser.destroyForcibly();
        fail("the browser script did not finish in 120 s; so far: %s", lines);
      }
      out.join(5_000);
      err.join(5_000);
      assertThat(browser.exitValue())
          .as("dashboard.mjs exit code; its output %s and errors:%n%s", lines, errors)
          .isZero();
      assertThat(lines)
          .contains(
              "ACKED " + alertId, "CREATED " + newPoint, "DECOMMISSIONED " + newPoint, "DONE");

      // what the browser did is what the API holds
      assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/alerts/" + alertId))
          .containsEntry("acknowledgedBy", "qingpu-bureau");
      assertThat(calls.getObject(api.tokenOf("qingpu-viewer"), "/api/v1/points/" + newPoint))
          .containsEntry("cityId", "qingpu")
          .containsEntry("sharing", "PRIVATE")
          .containsEntry("status", "DECOMMISSIONED")
          .containsEntry("lat", 31.2);
      assertMarkedInBrowser(
          api,
          calls,
          seen(lines, "MARKED ").orElseThrow(),
          seen(lines, "REVALIDATED ").orElseThrow(),
          reviewNote);
      for (String shot : SHOTS) {
        assertThat(SCREENSHOTS.resolve(shot)).isNotEmptyFile();
      }
    } finally {
      browser.destroyForcibly();
    }
  }

  /**
   * The range the bureau marked invalid on the chart, and the later half of its PM2.5 it made valid
   * again, are stored as it chose them; the raw series keeps every reading of the range, each value
   * with the mark in force; the reviewed series (for Qingpu and for another city) has none of the
   * first half and only the PM2.5 of the second.
   */
  private static void assertMarkedInBrowser(
      ApiTestServer api, ApiCalls calls, String invalidId, String validId, String note) {
    String bureau = api.tokenOf("qingpu-bureau");
    Map<String, Map<String, Object>> marks =
        calls.getList(bureau, "/api/v1/points/qingpu-air-01/reviews").stream()
            .collect(Collectors.toMap(m -> String.valueOf(m.get("id")), m -> m));
    Map<String, Object> invalid = marks.get(invalidId);
    Map<String, Object> valid = marks.get(validId);
    assertThat(invalid)
        .as("the mark made in the browser")
        .isNotNull()
        .containsEntry("createdBy", "qingpu-bureau")
        .containsEntry("verdict", "INVALID")
        .containsEntry("reason", "OTHER")
        .containsEntry("note", note)
        .doesNotContainKey("parameter");
    assertThat(valid)
        .as("the mark typed in the browser")
        .isNotNull()
        .containsEntry("createdBy", "qingpu-bureau")
        .containsEntry("verdict", "VALID")
        .containsEntry("reason", "CALIBRATION")
        .containsEntry("parameter", "pm25")
        .containsEntry("to", invalid.get("to"));
    Instant from = Instant.parse((String) invalid.get("from"));
    Instant middle = Instant.parse((String) valid.get("from"));
    Instant to = Instant.parse((String) invalid.get("to"));
    assertThat(middle).isAfter(from).isBefore(to);

    String series = "/api/v1/points/qingpu-air-01/readings?interval=raw&from=";
    List<Map<?, ?>> raw = readings(calls, bureau, series + from + "&to=" + to + "&view=raw");
    assertThat(raw).as("the seeded readings in the marked range").hasSizeGreaterThan(2);
    for (Map<?, ?> reading : raw) {
      Instant time = Instant.parse((String) reading.get("time"));
      Map<?, ?> review = (Map<?, ?>) reading.get("review");
      String pm25Mark = time.isBefore(middle) ? invalidId : validId;
      assertThat(String.valueOf(((Map<?, ?>) review.get("pm25")).get("markId")))
          .as("pm25 at " + time)
          .isEqualTo(pm25Mark);
      assertThat(String.valueOf(((Map<?, ?>) review.get("pm10")).get("markId")))
          .as("pm10 at " + time)
          .isEqualTo(invalidId);
      assertThat(((Map<?, ?>) reading.get("values")).get("pm10")).isNotNull();
    }
    assertThat(raw).anyMatch(r -> Instant.parse((String) r.get("time")).isBefore(middle));
    assertThat(raw).anyMatch(r -> !Instant.parse((String) r.get("time")).isBefore(middle));
    for (String user : List.of("qingpu-bureau", "wujiang-viewer")) {
      String token = api.tokenOf(user);
      assertThat(readings(calls, token, series + from + "&to=" + middle))
          .as("reviewed first half, as " + user)
          .isEmpty();
      assertThat(readings(calls, token, series + middle + "&to=" + to))
          .as("reviewed second half, as " + user)
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(((Map<?, ?>) r.get("values")).keySet())
                      .as("values left at " + r.get("time"))
                      .map(String::valueOf)
                      .containsExactly("pm25"));
    }
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(series + from + "&to=" + to + "&view=raw")
                    .bearerAuth(api.tokenOf("wujiang-viewer"))))
        .as("another city's raw view")
        .isEqualTo(403);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<?, ?>> readings(ApiCalls calls, String token, String uri) {
    return (List<Map<?, ?>>) calls.getObject(token, uri).get("readings");
  }

  /** True while the script runs; a script that ended early fails the test with its output. */
  private static boolean alive(Process browser, List<String> lines, StringBuilder errors) {
    if (!browser.isAlive()) {
      throw new AssertionError(
          "dashboard.mjs ended with " + browser.exitValue() + ": " + lines + "\n" + errors);
    }
    return true;
  }

  private static Optional<String> seen(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst();
  }

  private static Thread drain(InputStream stream, java.util.function.Consumer<String> into) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  into.accept(line);
                }
              } catch (IOException e) {
                into.accept("(read failed: " + e + ")");
              }
            });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** playwright-core from package-lock.json, with npm ci (never a browser download). */
  private static void installPlaywright() throws Exception {
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json", "dashboard.mjs")) {
      Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.isDirectory(WORK.resolve("node_modules/playwright-core"))) {
      return;
    }
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("npm-ci.log").toFile())
            .start();
    assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci within 300 s").isTrue();
    assertThat(npm.exitValue())
        .as("npm ci: %s", Files.readString(WORK.resolve("npm-ci.log")))
        .isZero();
  }

  private static KafkaProducer<String, byte[]> producer(Infrastructure infrastructure) {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", infrastructure.kafkaBootstrap());
    properties.put("acks", "all");
    return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }

  private static Alert jointAlert() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Alert(
        UUID.randomUUID().toString(),
        AlertType.JOINT,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        "qingpu-water-taipu-01",
        "qingpu",
        PointKind.WATER,
        Map.of("nh3n", 1.8),
        1.0,
        "WATER_CLASS in wujiang at wujiang-water-taipu-02: section class V against target II",
        null,
        now,
        now,
        "wujiang-water-taipu-02",
        "wujiang",
        List.of("wujiang-water-taipu-02", "qingpu-water-taipu-01"));
  }

  private static Alert delayedAlert() {
    Instant observed = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    return new Alert(
            UUID.randomUUID().toString(),
            AlertType.WATER_CLASS,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "qingpu-water-taipu-01",
            "qingpu",
            PointKind.WATER,
            Map.of("nh3n", 1.6),
            null,
            "section class V against target II, exceeding: [NH3N]",
            null,
            observed,
            observed,
            null,
            null,
            null)
        .detected(
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            true,
            "section class V against target II, exceeding: [NH3N] (data arrived late)",
            "断面水质类别 Ⅴ类，目标 Ⅱ类，超标项目：[NH3N]（数据迟到）");
  }

  /**
   * A day of readings of three points (written as the stream jobs write them) and a day of sharing
   * ratios, so that the panel, its chart and the scoreboard have something to show; returns the
   * time of the newest reading.
   */
  private static Instant seedInflux(ApiTestServer api) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    try (InfluxWriter influx = new InfluxWriter(api)) {
      for (int i = 0; i < 72; i++) {
        Instant at = now.minus(20L * i, ChronoUnit.MINUTES);
        double wave = Math.sin(i / 9.0);
        influx.reading(
            "qingpu",
            "qingpu-air-01",
            "AIR",
            at,
            Map.of(
                "pm25",
                40 + 15 * wave,
                "pm10",
                70 + 20 * wave,
                "so2",
                8.0,
                "no2",
                30 + 5 * wave,
                "co",
                0.6,
                "o3",
                60.0),
            Map.of());
        influx.reading(
            "wujiang",
            "wujiang-water-taipu-02",
            "WATER",
            at,
            Map.of("do", 6.8, "codmn", 5.0 + 0.3 * wave, "nh3n", 0.45 + 0.05 * wave, "tp", 0.08),
            Map.of());
        influx.reading(
            "qingpu", "qingpu-noise-01", "NOISE", at, Map.of("leq", 54 + 4 * wave), Map.of());
      }
      // A whole past day of qingpu-air-01 for the daily report: PM2.5 70 every hour, so 110 by
      // HJ 633-2026 and above GB 3095-2026's 60 (docs/standards.md "The daily report").
      Instant reportDay = REPORT_DATE.atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant();
      for (int hour = 0; hour < 24; hour++) {
        influx.reading(
            "qingpu",
            "qingpu-air-01",
            "AIR",
            reportDay.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(30)),
            Map.of("pm25", 70.0, "pm10", 100.0, "so2", 10.0, "no2", 40.0, "co", 0.8, "o3", 60.0),
            Map.of());
      }
      for (int i = 0; i < 24; i++) {
        Instant at = now.minus(i, ChronoUnit.HOURS);
        influx.write(ratio("qingpu", "city", at, 1, 2, 1, 1, 0, 1));
        influx.write(ratio("wujiang", "city", at, 1, 2, 2, 2, 1, 1));
        influx.write(ratio("jiashan", "city", at, 1, 2, i < 12 ? 1 : 0, 1, 0, 1));
        influx.write(ratio("yrd-demo", "cluster", at, 3, 6, i < 12 ? 4 : 3, 4, 1, 3));
      }
    }
    return now;
  }

  private static Point ratio(
      String city,
      String scope,
      Instant at,
      long airNum,
      long airDen,
      long waterNum,
      long waterDen,
      long noiseNum,
      long noiseDen) {
    double air = (double) airNum / airDen;
    double water = (double) waterNum / waterDen;
    double noise = (double) noiseNum / noiseDen;
    return Point.measurement("sharing_ratio")
        .time(at.toEpochMilli(), TimeUnit.MILLISECONDS)
        .tag("city", city)
        .tag("scope", scope)
        .addField("air_num", airNum)
        .addField("air_den", airDen)
        .addField("air_cond", 0L)
        .addField("air_value", air)
        .addField("water_num", waterNum)
        .addField("water_den", waterDen)
        .addField("water_cond", 0L)
        .addField("water_value", water)
        .addField("noise_num", noiseNum)
        .addField("noise_den", noiseDen)
        .addField("noise_cond", 0L)
        .addField("noise_value", noise)
        .addField("score", 100 * (0.4 * air + 0.4 * water + 0.2 * noise))
        .build();
  }
}
