package io.envmon.api.bench;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.api.readings.ReadingsController;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/readings/latest?city=bench} for a city of N points (60 % air, 25 % water
 * sections, 15 % noise; air and noise every minute over the last 3 h, water every 5 minutes over 8
 * h; while measuring, every point goes on reporting at its cadence), as a viewer of that city, over
 * real HTTP: answered from the latest view and, for comparison, by a second API server with the
 * view off (InfluxDB, one query per point). Both servers run in this JVM on the benchmark's
 * infrastructure (./envmon bench api); both answers must agree. Prints a RESULT line per path and
 * number of concurrent clients (docs/performance.md).
 */
public final class LatestBenchmark {

  private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

  private final Infrastructure infra;
  private final int points;
  private final BenchCity city;

  private LatestBenchmark(Infrastructure infra, int points) {
    this.infra = infra;
    this.points = points;
    this.city = new BenchCity(points);
  }

  public static void main(String[] args) throws Exception {
    int points = 1000;
    int seconds = 20;
    int influxSeconds = 15;
    List<Integer> clients = List.of(1, 4);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--points" -> points = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--influx-seconds" -> influxSeconds = Integer.parseInt(args[++i]);
        case "--clients" ->
            clients = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        default -> {
          System.err.println(
              "usage: LatestBenchmark [--points N] [--seconds S] [--influx-seconds S]"
                  + " [--clients 1,4]");
          System.exit(2);
        }
      }
    }
    String endpoints = System.getenv("ENVMON_INFRA_ENDPOINTS");
    if (endpoints == null) {
      System.err.println("ENVMON_INFRA_ENDPOINTS is not set (run it through ./envmon bench api)");
      System.exit(2);
    }
    System.out.printf(
        "bench api: latest readings of a %d-point city, %d s per phase (InfluxDB path %d s),"
            + " clients %s; %d cores, Java %s%n",
        points,
        seconds,
        influxSeconds,
        clients,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    int rc =
        new LatestBenchmark(Infrastructure.fromEndpointsFile(Path.of(endpoints)), points)
            .run(seconds, influxSeconds, clients);
    System.exit(rc);
  }

  private int run(int seconds, int influxSeconds, List<Integer> clients) throws Exception {
    Path dataFile = Files.createTempFile("envmon-bench-cluster", ".json");
    Files.writeString(dataFile, city.clusterJson());
    Map<String, Object> registry =
        Map.of("envmon.registry.data-file", "file:" + dataFile.toAbsolutePath());
    long t0 = System.nanoTime();
    ApiTestServer view = ApiTestServer.startPrivate(infra, registry);
    ApiTestServer influx =
        ApiTestServer.startPrivate(
            infra,
            Map.of(
                "envmon.registry.data-file",
                "file:" + dataFile.toAbsolutePath(),
                "envmon.latest.view-enabled",
                false));
    System.out.printf(
        "two API servers up in %.1f s: view %s, InfluxDB only %s%n",
        seconds(t0), view.server.getURL(), influx.server.getURL());

    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long written = load(now, List.of(view, influx));

    String viewToken = view.tokenOf("bench-viewer");
    String influxToken = influx.tokenOf("bench-viewer");
    HttpClient http = HttpClient.newHttpClient();
    URI viewUri = URI.create(view.server.getURL() + "/api/v1/readings/latest?city=bench");
    URI influxUri = URI.create(influx.server.getURL() + "/api/v1/readings/latest?city=bench");
    Instant newest = now.minusSeconds(1);
    long t1 = System.nanoTime();
    while (true) {
      HttpResponse<String> response = get(http, viewUri, viewToken);
      if ("view".equals(response.headers().firstValue(ReadingsController.LATEST_SOURCE).orElse(""))
          && newestCount(response.body(), newest) == points) {
        break;
      }
      if (seconds(t1) > 300) {
        System.out.println("FAILED: the view did not have every point's newest reading in 300 s");
        return 1;
      }
      Thread.sleep(200);
    }
    System.out.printf(
        "the view has all %d readings: every point's newest in the answer %.1f s after the load%n",
        written, seconds(t1));

    // Both paths answer alike (compared twice in case a request straddles a second boundary).
    String viewAnswer = null;
    String influxAnswer = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      viewAnswer = get(http, viewUri, viewToken).body();
      influxAnswer = get(http, influxUri, influxToken).body();
      if (viewAnswer.equals(influxAnswer)) {
        break;
      }
    }
    if (!viewAnswer.equals(influxAnswer)) {
      System.out.printf(
          "FAILED: the view and InfluxDB answer differently (%d vs %d bytes)%n",
          viewAnswer.length(), influxAnswer.length());
      return 1;
    }
    System.out.printf(
        "the view and InfluxDB give the same answer: %d points, %d bytes%n",
        points, viewAnswer.length());

    // From now on stations go on reporting, each point once per cadence (air and noise every
    // minute, water every 5 minutes), into both servers, as the jobs would persist them.
    LiveFeed feed = new LiveFeed(List.of(view, influx));
    feed.start();
    for (int n : clients) {
      measure("view", viewUri, viewToken, n, seconds);
    }
    measure("influxdb", influxUri, influxToken, 1, influxSeconds);
    feed.stop();
    System.out.printf(
        "live readings during the measurements: %d (%.1f/s)%n", feed.sent, feed.perSecond());
    view.server.stop();
    influx.server.stop();
    return 0;
  }

  /** Every point reporting at its cadence, spread over the cadence, in batches every 200 ms. */
  private final class LiveFeed implements Runnable {
    private final List<InfluxWriter> writers;
    private final Thread thread = new Thread(this, "live-feed");
    private volatile boolean running = true;
    private long sent;
    private long startedNanos;

    LiveFeed(List<ApiTestServer> servers) {
      this.writers = servers.stream().map(InfluxWriter::new).toList();
    }

    void start() {
      startedNanos = System.nanoTime();
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      writers.forEach(InfluxWriter::close);
    }

    double perSecond() {
      return sent / seconds(startedNanos);
    }

    @Override
    public void run() {
      long tick = 0;
      while (running) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<AcceptedReading> batch = new ArrayList<>();
        for (int i = 0; i < points; i++) {
          // tick of 200 ms: 300 per minute, 1,500 per 5 minutes; point i reports in its slot
          long slots = city.kindOf(i) == PointKind.WATER ? 1500 : 300;
          if ((tick + i) % slots == 0) {
            batch.add(city.reading(i, city.kindOf(i), now));
          }
        }
        if (!batch.isEmpty()) {
          writers.forEach(writer -> writer.readings(batch));
          sent += batch.size();
        }
        tick++;
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** N clients ask in a loop for {@code seconds} (after 3 s of warm-up); a RESULT line. */
  private void measure(String path, URI uri, String token, int clients, int seconds)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(path.equals("view") ? 3 : 0);
    while (System.nanoTime() < warmUpEnd) {
      get(http, uri, token);
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<long[]> perClient = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long[] bytes = new long[1];
    for (int c = 0; c < clients; c++) {
      long[] latencies = new long[1_000_000];
      perClient.add(latencies);
      int slot = c;
      Thread thread =
          new Thread(
              () -> {
                HttpClient own = HttpClient.newHttpClient();
                int count = 0;
                try {
                  while (System.nanoTime() < end && count < latencies.length - 1) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = get(own, uri, token);
                    latencies[++count] = System.nanoTime() - start;
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    if (slot == 0) {
                      bytes[0] = response.body().length();
                    }
                  }
                } catch (Exception e) {
                  System.out.println("client failed: " + e);
                }
                latencies[0] = count;
              },
              "client-" + c);
      threads.add(thread);
    }
    long started = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = seconds(started);
    long[] all =
        perClient.stream()
            .flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1))
            .sorted()
            .toArray();
    System.out.printf(
        "RESULT latest path=%s points=%d clients=%d requests=%d requests/s=%.1f p50=%.1f ms"
            + " p90=%.1f ms p99=%.1f ms max=%.1f ms bytes=%d%n",
        path,
        points,
        clients,
        all.length,
        all.length / elapsed,
        millis(all, 0.50),
        millis(all, 0.90),
        millis(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6,
        bytes[0]);
  }

  private static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** How many entries of a latest answer have {@code time} at or after {@code newest}. */
  private static int newestCount(String body, Instant newest) {
    int count = 0;
    Matcher matcher = TIME.matcher(body);
    while (matcher.find()) {
      if (!Instant.parse(matcher.group(1)).isBefore(newest)) {
        count++;
      }
    }
    return count;
  }

  /** Every point's readings, into each server's InfluxDB database and readings topic. */
  private long load(Instant now, List<ApiTestServer> servers) {
    long t0 = System.nanoTime();
    List<InfluxWriter> writers = servers.stream().map(InfluxWriter::new).toList();
    long written = 0;
    List<AcceptedReading> batch = new ArrayList<>();
    for (int i = 0; i < points; i++) {
      PointKind kind = city.kindOf(i);
      Duration every = kind == PointKind.WATER ? Duration.ofMinutes(5) : Duration.ofMinutes(1);
      Duration back = kind == PointKind.WATER ? Duration.ofHours(8) : Duration.ofHours(3);
      for (Instant t = now.minus(back).plus(every); !t.isAfter(now.minusSeconds(1)); ) {
        batch.add(city.reading(i, kind, t));
        t = t.plus(every);
      }
      // the newest reading of every point one second before "now"
      batch.add(city.reading(i, kind, now.minusSeconds(1)));
      if (batch.size() >= 5000 || i == points - 1) {
        writers.forEach(writer -> writer.readings(batch));
        written += batch.size();
        batch.clear();
        System.out.printf(
            "loading: %d readings of %d of %d points (into each server's InfluxDB and topic)%n",
            written, i + 1, points);
      }
    }
    writers.forEach(InfluxWriter::close);
    System.out.printf("loaded %d readings in %.1f s%n", written, seconds(t0));
    return written;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
