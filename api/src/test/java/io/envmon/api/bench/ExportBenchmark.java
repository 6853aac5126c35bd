package io.envmon.api.bench;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/export/readings} of a whole city over a long range (issue 17: "a one-year
 * export of a 100-point city in constant memory with its time recorded"): N points' readings every
 * {@code --every-minutes} over {@code --days} are written into InfluxDB, then each kind of the city
 * is exported as CSV over the last 30 days and over the whole range by a viewer over real HTTP, the
 * body read as it streams. The API runs in this JVM ({@code ./envmon bench export} caps the heap);
 * a sampler records the heap in use every 10 ms, so each export's peak above the heap after a GC
 * before it says whether memory grows with the range. RESULT lines per export (docs/performance.md
 * "Export").
 */
public final class ExportBenchmark {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private ExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int points = 100;
    int days = 365;
    int everyMinutes = 60;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--points" -> points = Integer.parseInt(args[++i]);
        case "--days" -> days = Integer.parseInt(args[++i]);
        case "--every-minutes" -> everyMinutes = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: ExportBenchmark [--points 100] [--days 365] [--every-minutes 60]");
          System.exit(2);
        }
      }
    }
    String endpoints = System.getenv("ENVMON_INFRA_ENDPOINTS");
    if (endpoints == null) {
      System.err.println(
          "ENVMON_INFRA_ENDPOINTS is not set (run it through ./envmon bench export)");
      System.exit(2);
    }
    System.out.printf(
        "bench export: a %d-point city, a reading every %d min for %d days; heap max %d MB; %d"
            + " cores, Java %s%n",
        points,
        everyMinutes,
        days,
        MEMORY.getHeapMemoryUsage().getMax() >> 20,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Infrastructure infra = Infrastructure.fromEndpointsFile(Path.of(endpoints));
    BenchCity city = new BenchCity(points);
    Path dataFile = Files.createTempFile("envmon-bench-cluster", ".json");
    Files.writeString(dataFile, city.clusterJson());
    ApiTestServer api =
        ApiTestServer.startPrivate(
            infra, Map.of("envmon.registry.data-file", "file:" + dataFile.toAbsolutePath()));
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofDays(days));
    long written = load(api, city, points, start, end, Duration.ofMinutes(everyMinutes));
    String token = api.tokenOf("bench-viewer");
    long rows = 0;
    for (int range : days > 30 ? List.of(30, days) : List.of(days)) {
      long rangeRows = 0;
      for (PointKind kind : PointKind.values()) {
        rangeRows += export(api, token, kind, end.minus(Duration.ofDays(range)), end, range);
      }
      rows = rangeRows;
    }
    api.server.stop();
    // every stored reading is one CSV row (plus a header per export)
    boolean complete = rows == written;
    System.out.printf(
        "RESULT export complete=%s: %d readings written, %d rows exported over the whole range%n",
        complete, written, rows);
    System.exit(complete ? 0 : 1);
  }

  /** Every point's readings over [start, end) into InfluxDB, in batches of 10,000. */
  private static long load(
      ApiTestServer api, BenchCity city, int points, Instant start, Instant end, Duration every) {
    long t0 = System.nanoTime();
    long written = 0;
    long total = points * (Duration.between(start, end).toMinutes() / every.toMinutes());
    try (InfluxWriter writer = new InfluxWriter(api)) {
      List<AcceptedReading> batch = new ArrayList<>();
      long nextProgress = System.nanoTime();
      for (Instant t = start; t.isBefore(end); t = t.plus(every)) {
        for (int i = 0; i < points; i++) {
          batch.add(city.reading(i, city.kindOf(i), t));
          if (batch.size() == 10_000) {
            writer.influxOnly(batch);
            written += batch.size();
            batch.clear();
            if (System.nanoTime() >= nextProgress) {
              System.out.printf(
                  "loading: %,d of %,d readings (%.0f %%), %.0f s%n",
                  written, total, 100.0 * written / total, seconds(t0));
              nextProgress = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
          }
        }
      }
      if (!batch.isEmpty()) {
        writer.influxOnly(batch);
        written += batch.size();
      }
    }
    System.out.printf(
        "loaded %,d readings in %.1f s (%.0f/s)%n", written, seconds(t0), written / seconds(t0));
    return written;
  }

  /** One kind's CSV over [from, to), read as it streams; a RESULT line; its rows. */
  private static long export(
      ApiTestServer api, String token, PointKind kind, Instant from, Instant to, int days)
      throws Exception {
    URI uri =
        URI.create(
            api.server.getURL()
                + "/api/v1/export/readings?city=bench&kind="
                + kind
                + "&from="
                + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                + "&to="
                + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8)
                + "&format=csv");
    System.gc();
    long baseline = MEMORY.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(10); // the sampling period
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    long bytes = 0;
    long lines = 0;
    long firstByteNanos = -1;
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "export of "
              + kind
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream body = response.body()) {
      for (int n; (n = body.read(buffer)) >= 0; ) {
        if (firstByteNanos < 0 && n > 0) {
          firstByteNanos = System.nanoTime() - t0;
        }
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    double seconds = seconds(t0);
    sampler.interrupt();
    sampler.join();
    long rows = Math.max(0, lines - 1); // the header row
    System.out.printf(
        "RESULT export kind=%s days=%d rows=%d bytes=%d seconds=%.1f rows/s=%.0f MB/s=%.1f"
            + " first-byte=%.0f ms heap-peak-above-baseline=%d MB (baseline %d MB)%n",
        kind,
        days,
        rows,
        bytes,
        seconds,
        rows / seconds,
        bytes / seconds / 1e6,
        firstByteNanos / 1e6,
        (peak.get() - baseline) >> 20,
        baseline >> 20);
    return rows;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
