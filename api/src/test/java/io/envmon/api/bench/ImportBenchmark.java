package io.envmon.api.bench;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.testsupport.Infrastructure;
import java.io.BufferedWriter;
import java.net.URI;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./envmon bench import}: an import of N readings (a generated CSV of the demo city's AIR
 * points, one a minute from 350 days ago) through {@code POST /api/v1/imports}, while live readings
 * go to the same readings topic at a fixed rate the way the gateways send them (keyed by point,
 * idempotent, acks=all). Prints the live readings acknowledged per second and their acknowledgement
 * latency, first alone and then during the import, and the import's own pace. The stream jobs and
 * InfluxDB are not in this path (docs/performance.md "Import").
 */
public final class ImportBenchmark {

  private static final Pattern FIELD =
      Pattern.compile("\"(status|accepted|refused|percent)\":\"?([A-Z0-9]+)");

  public static void main(String[] args) throws Exception {
    long readings = 1_000_000;
    int liveRate = 1000;
    int liveSeconds = 30;
    int importRate = 2000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--readings" -> readings = Long.parseLong(args[++i]);
        case "--live-rate" -> liveRate = Integer.parseInt(args[++i]);
        case "--live-seconds" -> liveSeconds = Integer.parseInt(args[++i]);
        case "--import-rate" -> importRate = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: ImportBenchmark [--readings N] [--live-rate R] [--live-seconds S]"
                  + " [--import-rate R]");
          System.exit(2);
        }
      }
    }
    String endpoints = System.getenv("ENVMON_INFRA_ENDPOINTS");
    if (endpoints == null) {
      System.err.println(
          "ENVMON_INFRA_ENDPOINTS is not set (run it through ./envmon bench import)");
      System.exit(2);
    }
    System.out.printf(
        "bench import: %,d readings imported at envmon.imports.readings-per-second=%d, live"
            + " readings at %d/s (%d s alone first); %d cores, Java %s%n",
        readings,
        importRate,
        liveRate,
        liveSeconds,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Infrastructure infra = Infrastructure.fromEndpointsFile(Path.of(endpoints));
    ApiTestServer api =
        ApiTestServer.startPrivate(
            infra,
            Map.of(
                "envmon.imports.readings-per-second",
                importRate,
                "envmon.imports.progress-interval",
                "1s"));
    try {
      System.exit(run(api, infra, readings, liveRate, liveSeconds));
    } finally {
      api.server.stop();
    }
  }

  private static int run(
      ApiTestServer api, Infrastructure infra, long readings, int liveRate, int liveSeconds)
      throws Exception {
    Path file = Files.createTempFile("envmon-bench-import", ".csv");
    long t0 = System.nanoTime();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("time_utc,point,pm25 (ug/m3),pm10 (ug/m3)\r\n");
      // Within the raw retention (52 weeks by default), so every reading takes the Kafka path
      // that competes with live readings; older ones would be kept as hours only
      // (docs/api.md "Retention"). A million readings of two points span 347 days.
      Instant start = Instant.now().minus(Duration.ofDays(350)).truncatedTo(ChronoUnit.DAYS);
      String[] points = {"wujiang-air-01", "wujiang-air-02"};
      for (long i = 0; i < readings; i++) {
        out.write(
            start.plus(Duration.ofMinutes(i / points.length))
                + ","
                + points[(int) (i % points.length)]
                + ","
                + (10 + i % 90)
                + ","
                + (30 + i % 120)
                + "\r\n");
      }
    }
    System.out.printf(
        "RESULT file: %,d readings, %,d bytes, written in %.1f s%n",
        readings, Files.size(file), seconds(t0));

    try (Live live = new Live(infra, api.readingsTopic, liveRate)) {
      live.measure(Duration.ofSeconds(liveSeconds));
      System.out.println("RESULT live alone: " + live.summary());

      String token = api.tokenOf("wujiang-bureau");
      HttpClient http = HttpClient.newHttpClient();
      live.start();
      long upload0 = System.nanoTime();
      HttpResponse<String> accepted =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(api.server.getURL() + "/api/v1/imports?city=wujiang"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "text/csv")
                  .POST(HttpRequest.BodyPublishers.ofFile(file))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      double uploadSeconds = seconds(upload0);
      if (accepted.statusCode() != 202) {
        System.out.println(
            "RESULT FAILED: upload answered " + accepted.statusCode() + " " + accepted.body());
        return 1;
      }
      URI status =
          URI.create(api.server.getURL() + accepted.headers().firstValue("Location").orElseThrow());
      System.out.printf("RESULT upload: %.1f s (%s)%n", uploadSeconds, status.getPath());
      long import0 = System.nanoTime();
      long lastPrint = 0;
      Map<String, String> fields;
      while (true) {
        Thread.sleep(1000);
        fields =
            fields(
                http.send(
                        HttpRequest.newBuilder(status)
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        String state = fields.getOrDefault("status", "?");
        if (System.nanoTime() - lastPrint > 10_000_000_000L || !state.matches("QUEUED|RUNNING")) {
          lastPrint = System.nanoTime();
          System.out.printf(
              "  %.0f s: %s %s%%, %s accepted; live %s%n",
              seconds(import0),
              state,
              fields.get("percent"),
              fields.get("accepted"),
              live.summarySoFar());
        }
        if (!state.matches("QUEUED|RUNNING")) {
          break;
        }
      }
      double importSeconds = seconds(import0);
      live.stop();
      long taken = Long.parseLong(fields.getOrDefault("accepted", "0"));
      System.out.printf(
          "RESULT import: %s, %,d accepted, %s refused in %.1f s: %,.0f readings/s%n",
          fields.get("status"), taken, fields.get("refused"), importSeconds, taken / importSeconds);
      System.out.println("RESULT live during the import: " + live.summary());
      return "DONE".equals(fields.get("status")) && taken == readings ? 0 : 1;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Map<String, String> fields(String json) {
    Map<String, String> fields = new java.util.HashMap<>();
    Matcher matcher = FIELD.matcher(json);
    while (matcher.find()) {
      fields.putIfAbsent(matcher.group(1), matcher.group(2));
    }
    return fields;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Live readings to the readings topic at a fixed rate, as a gateway's forwarder sends them. */
  private static final class Live implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int rate;
    private final List<Long> ackMicros = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;
    private long startNanos;
    private long endNanos;
    private long sent;

    Live(Infrastructure infra, String topic, int rate) {
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      this.producer =
          new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
      this.topic = topic;
      this.rate = rate;
    }

    void measure(Duration duration) throws InterruptedException {
      start();
      Thread.sleep(duration.toMillis());
      stop();
    }

    void start() {
      ackMicros.clear();
      sent = 0;
      running.set(true);
      startNanos = System.nanoTime();
      thread = new Thread(this::send, "live-readings");
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
      producer.flush();
      endNanos = System.nanoTime();
    }

    private void send() {
      String[] points = {"qingpu-air-01", "jiashan-air-01"};
      while (running.get()) {
        long due = startNanos + (long) (sent * 1e9 / rate);
        long ahead = due - System.nanoTime();
        if (ahead > 1_000_000) {
          try {
            Thread.sleep(ahead / 1_000_000);
          } catch (InterruptedException e) {
            return;
          }
        }
        String point = points[(int) (sent % points.length)];
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AcceptedReading reading =
            InfluxWriter.accepted(
                point.substring(0, point.indexOf('-')),
                point,
                "AIR",
                now,
                Map.of("pm25", 30.0, "pm10", 50.0),
                Map.of());
        long sentAt = System.nanoTime();
        producer.send(
            new ProducerRecord<>(
                topic, point.getBytes(StandardCharsets.UTF_8), AcceptedReadingJson.encode(reading)),
            (metadata, error) -> {
              if (error == null) {
                ackMicros.add((System.nanoTime() - sentAt) / 1000);
              }
            });
        sent++;
      }
    }

    String summarySoFar() {
      long end = running.get() ? System.nanoTime() : endNanos;
      return String.format("%,.0f acknowledged/s", ackMicros.size() / ((end - startNanos) / 1e9));
    }

    String summary() {
      List<Long> sorted;
      synchronized (ackMicros) {
        sorted = new ArrayList<>(ackMicros);
      }
      Collections.sort(sorted);
      if (sorted.isEmpty()) {
        return "nothing acknowledged";
      }
      double seconds = (endNanos - startNanos) / 1e9;
      return String.format(
          "%,d sent, %,d acknowledged in %.1f s (%,.0f/s of %d/s offered); ack latency p50 %.1f"
              + " ms, p99 %.1f ms, max %.1f ms",
          sent,
          sorted.size(),
          seconds,
          sorted.size() / seconds,
          rate,
          sorted.get(sorted.size() / 2) / 1000.0,
          sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join();
      }
      producer.close(Duration.ofSeconds(5));
    }
  }
}
