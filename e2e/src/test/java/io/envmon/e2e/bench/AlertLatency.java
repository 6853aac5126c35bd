package io.envmon.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.transport.MqttTransport;
import io.envmon.testsupport.Infrastructure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reading-to-alert latency under load (docs/performance.md): while the load generator sends
 * readings at a fixed rate through the real path (MQTT → gateway → Kafka → Flink → Kafka → API),
 * each probe noise station (zone 1, raise-after and clear-after 1, the jobs' default) alternates a
 * loud reading (Leq 85 dB(A), over every limit of the zone: raises NOISE_LIMIT) and a quiet one (40
 * dB(A), under every limit: clears it), one probe reading every 100 ms over its own MQTT
 * connection. The latency of an alert is from the moment the loud reading is handed to the MQTT
 * client to the moment its RAISED change (found by point and {@code startedAt} = the loud reading's
 * time) arrives, seen at three hops:
 *
 * <ul>
 *   <li>Kafka {@code envmon.alerts.v1}, {@code read_uncommitted}: the processing path alone;
 *   <li>Kafka {@code envmon.alerts.v1}, {@code read_committed}: what a consumer of the exactly-once
 *       topic sees, including the wait for the checkpoint that commits the jobs' transaction;
 *   <li>the API's {@code GET /api/v1/alerts/stream} (SSE), as an emergency user of the bench city
 *       sees it: the {@code raised} event, after the API's alert consumer stored the change in
 *       PostgreSQL and the stream's poll found it.
 * </ul>
 */
final class AlertLatency {

  private static final double LOUD_DBA = 85;
  private static final double QUIET_DBA = 40;
  private static final long PROBE_PERIOD_MS = 100;

  private AlertLatency() {}

  /**
   * The phase's figures: latencies in ns per hop; alert records on Kafka (read_uncommitted, by type
   * and state) and events on the stream during the phase, all points; probe raises on the stream
   * that match no loud reading (a sign of a format mismatch, not of delay).
   */
  record Result(
      double offered,
      double reached,
      int raised,
      List<Long> uncommitted,
      List<Long> committed,
      List<Long> sse,
      Map<String, Long> kafkaRecords,
      long sseEvents,
      long sseUnmatched) {

    Result withLoad(double offered, double reached) {
      return new Result(
          offered,
          reached,
          raised,
          uncommitted,
          committed,
          sse,
          kafkaRecords,
          sseEvents,
          sseUnmatched);
    }

    /** Every loud probe reading's alert seen at every hop. */
    boolean complete() {
      return uncommitted.size() == raised && committed.size() == raised && sse.size() == raised;
    }

    @Override
    public String toString() {
      return ("reading-to-alert at %,.0f readings/s offered (%,.0f/s PUBACKed): %s; %s; %s"
              + " (in the phase: %,d alert records on Kafka %s, %,d events on the stream, %,d"
              + " probe raises on it matching no loud reading)")
          .formatted(
              offered,
              reached,
              describe("Kafka read_uncommitted", uncommitted, raised),
              describe("Kafka read_committed", committed, raised),
              describe("API SSE", sse, raised),
              kafkaRecords.values().stream().mapToLong(Long::longValue).sum(),
              kafkaRecords,
              sseEvents,
              sseUnmatched);
    }

    /** The three hops as rows of a Markdown table. */
    String table() {
      StringBuilder text =
          new StringBuilder(
              "| reading-to-alert | Kafka read_uncommitted | Kafka read_committed | API SSE |\n"
                  + "| --- | ---: | ---: | ---: |\n");
      text.append("| alerts seen of %d |".formatted(raised));
      for (List<Long> hop : List.of(uncommitted, committed, sse)) {
        text.append(" %d |".formatted(hop.size()));
      }
      for (double p : new double[] {0.50, 0.99, 1.0}) {
        text.append(p == 1.0 ? "\n| max ms |" : "\n| p%.0f ms |".formatted(p * 100));
        for (List<Long> hop : List.of(uncommitted, committed, sse)) {
          List<Long> sorted = sorted(hop);
          text.append(
              sorted.isEmpty() ? " – |" : " %,.0f |".formatted(percentile(sorted, p) / 1e6));
        }
      }
      return text.toString();
    }
  }

  /**
   * Runs the probes for {@code seconds} while the caller's load goes on, waits up to {@code wait}
   * for the last alerts and returns the latencies. {@code api} is the API's base URL, {@code token}
   * an emergency user's bearer token for its alert stream.
   */
  static Result measure(
      Infrastructure infra,
      URI api,
      String token,
      BenchFleet.Device probeDevice,
      List<NoiseStation> probes,
      int seconds,
      Duration wait)
      throws Exception {
    System.out.printf(
        "alert latency: %d noise probes for %d s, one probe reading every %d ms (loud raises"
            + " NOISE_LIMIT, quiet clears it); watched on Kafka (read_uncommitted,"
            + " read_committed) and on the API's SSE stream%n",
        probes.size(), seconds, PROBE_PERIOD_MS);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Set<String> probeIds = ConcurrentHashMap.newKeySet();
    probes.forEach(p -> probeIds.add(p.pointId()));
    AtomicBoolean stop = new AtomicBoolean();
    Watcher uncommitted = new Watcher(infra, "read_uncommitted", probeIds, sentAt, stop);
    Watcher committed = new Watcher(infra, "read_committed", probeIds, sentAt, stop);
    uncommitted.startAndAwaitAssignment();
    committed.startAndAwaitAssignment();
    try (SseWatcher sse = SseWatcher.open(api, token, probeIds, sentAt)) {
      Instant probeBase = Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES);
      try (MqttTransport mqtt =
          new MqttTransport(
              infra.mqttUrl(),
              "bench-probe",
              probeDevice.id(),
              probeDevice.mqttPassword(),
              100,
              probeDevice.points().stream()
                  .map(point -> MqttTopics.rejected(BenchFleet.CITY, point))
                  .toList(),
              (t, r) -> {})) {
        // the window starts once the probes are connected (on a loaded machine that can take
        // longer than the whole window)
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int[] count = new int[probes.size()];
        int next = 0;
        while (System.nanoTime() < end) {
          NoiseStation probe = probes.get(next);
          int k = count[next]++;
          next = (next + 1) % probes.size();
          Instant at = probeBase.plus(Duration.ofMinutes(k));
          boolean loud = k % 2 == 0;
          Reading reading =
              new Reading(
                  Reading.idFor(probe.pointId(), at),
                  probe.pointId(),
                  at,
                  List.of(Measurement.valid(Parameter.LEQ, loud ? LOUD_DBA : QUIET_DBA)),
                  Source.MQTT);
          if (loud) {
            sentAt.put(key(probe.pointId(), at), System.nanoTime());
          }
          mqtt.send(probe, reading);
          Thread.sleep(PROBE_PERIOD_MS); // pacing the probes in a benchmark tool
        }
      }
      long deadline = System.nanoTime() + wait.toNanos();
      while ((committed.latencies.size() < sentAt.size()
              || uncommitted.latencies.size() < sentAt.size()
              || sse.latencies.size() < sentAt.size())
          && System.nanoTime() < deadline
          && !sse.ended()) {
        Thread.sleep(200); // polling the watchers in a benchmark tool
      }
      if (sse.ended()) {
        System.out.println("alert latency: the API ended the alert stream (see api.log)");
      }
      stop.set(true);
      committed.thread.join();
      uncommitted.thread.join();
      return new Result(
          0,
          0,
          sentAt.size(),
          List.copyOf(uncommitted.latencies),
          List.copyOf(committed.latencies),
          List.copyOf(sse.latencies),
          new TreeMap<>(uncommitted.records),
          sse.events.get(),
          sse.unmatched.get());
    }
  }

  private static String describe(String what, List<Long> latenciesNanos, int raised) {
    List<Long> sorted = sorted(latenciesNanos);
    if (sorted.isEmpty()) {
      return "%s: 0 of %d alerts arrived".formatted(what, raised);
    }
    return "%s: %d of %d alerts arrived, p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms"
        .formatted(
            what,
            sorted.size(),
            raised,
            percentile(sorted, 0.50) / 1e6,
            percentile(sorted, 0.99) / 1e6,
            sorted.get(sorted.size() - 1) / 1e6);
  }

  private static List<Long> sorted(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted;
  }

  /** Nearest-rank percentile of a sorted list. */
  static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  static String key(String pointId, Instant at) {
    return pointId + "@" + at.toEpochMilli();
  }

  /** A consumer of {@code envmon.alerts.v1} from its end, recording each probe alert's latency. */
  private static final class Watcher {
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

    /** Every alert record polled, by "TYPE STATE". */
    final Map<String, Long> records = new ConcurrentHashMap<>();

    final Thread thread;
    private final Object assigned = new Object();
    private volatile boolean ready;

    Watcher(
        Infrastructure infra,
        String isolation,
        Set<String> probeIds,
        Map<String, Long> sentAt,
        AtomicBoolean stop) {
      Set<String> seen = ConcurrentHashMap.newKeySet();
      thread =
          new Thread(
              () -> {
                try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(
                        Map.of(
                            "bootstrap.servers",
                            infra.kafkaBootstrap(),
                            "isolation.level",
                            isolation,
                            "enable.auto.commit",
                            "false"),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                  List<TopicPartition> partitions = new ArrayList<>();
                  for (PartitionInfo info : consumer.partitionsFor("envmon.alerts.v1")) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                  }
                  consumer.assign(partitions);
                  consumer.seekToEnd(partitions);
                  partitions.forEach(consumer::position);
                  synchronized (assigned) {
                    ready = true;
                    assigned.notifyAll();
                  }
                  while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(50))) {
                      long arrived = System.nanoTime();
                      Alert alert = AlertJson.decode(record.value());
                      records.merge(alert.type() + " " + alert.state(), 1L, Long::sum);
                      if (alert.type() != AlertType.NOISE_LIMIT
                          || alert.state() != AlertState.RAISED
                          || !probeIds.contains(alert.pointId())) {
                        continue;
                      }
                      String key = key(alert.pointId(), alert.startedAt());
                      Long sent = sentAt.get(key);
                      if (sent != null && seen.add(key)) {
                        latencies.add(arrived - sent);
                      }
                    }
                  }
                } catch (Exception e) {
                  System.err.println("alert consumer (" + isolation + ") failed: " + e);
                  synchronized (assigned) {
                    ready = true;
                    assigned.notifyAll();
                  }
                }
              },
              "bench-alerts-" + isolation);
    }

    void startAndAwaitAssignment() throws InterruptedException {
      thread.start();
      synchronized (assigned) {
        while (!ready) {
          assigned.wait();
        }
      }
    }
  }

  /**
   * A subscriber of the API's {@code GET /api/v1/alerts/stream}, parsing the wire format itself
   * with the JDK client as the API's tests do ({@code api/src/test/java/io/envmon/api/SseStream}:
   * comment lines, the heartbeats, are skipped; an event ends at an empty line). Each {@code
   * raised} event of a probe's NOISE_LIMIT alert records its latency when its last line arrives.
   */
  static final class SseWatcher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong events = new AtomicLong();
    final AtomicLong unmatched = new AtomicLong();
    private final InputStream body;
    private final Set<String> probeIds;
    private final Map<String, Long> sentAt;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    SseWatcher(InputStream body, Set<String> probeIds, Map<String, Long> sentAt) {
      this.body = body;
      this.probeIds = probeIds;
      this.sentAt = sentAt;
      Thread reader = new Thread(this::read, "bench-alerts-sse");
      reader.setDaemon(true);
      reader.start();
    }

    /** Subscribes; the stream starts after the newest event the API has stored. */
    static SseWatcher open(URI api, String token, Set<String> probeIds, Map<String, Long> sentAt)
        throws IOException, InterruptedException {
      URI stream = api.resolve("/api/v1/alerts/stream");
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(stream)
                      .header("Authorization", "Bearer " + token)
                      .header("Accept", "text/event-stream")
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IllegalStateException("GET " + stream + " answered " + response.statusCode());
      }
      return new SseWatcher(response.body(), probeIds, sentAt);
    }

    boolean ended() {
      return ended;
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isEmpty()) {
            if (data != null) {
              received(name, data.toString(), System.nanoTime());
            }
            name = null;
            data = null;
          } else if (!line.startsWith(":")) {
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
              value = value.substring(1);
            }
            if (field.equals("event")) {
              name = value;
            } else if (field.equals("data")) {
              data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
          }
        }
      } catch (IOException e) {
        // closed
      } catch (RuntimeException e) {
        System.err.println("alert stream reader failed: " + e);
      }
      ended = true;
    }

    private void received(String name, String data, long arrived) throws IOException {
      events.incrementAndGet();
      if (!"raised".equals(name)) {
        return;
      }
      JsonNode alert = JSON.readTree(data);
      String pointId = alert.path("pointId").asText();
      if (!alert.path("type").asText().equals(AlertType.NOISE_LIMIT.name())
          || !probeIds.contains(pointId)) {
        return;
      }
      String key = key(pointId, instant(alert.path("startedAt")));
      Long sent = sentAt.get(key);
      if (sent == null) {
        unmatched.incrementAndGet();
      } else if (seen.add(key)) {
        latencies.add(arrived - sent);
      }
    }

    /** An instant as the API writes it: ISO-8601 text, or seconds (with fraction) or millis. */
    private static Instant instant(JsonNode value) {
      if (value.isTextual()) {
        return Instant.parse(value.asText());
      }
      BigDecimal number = value.decimalValue();
      if (number.scale() > 0 || number.compareTo(BigDecimal.valueOf(100_000_000_000L)) < 0) {
        BigDecimal nanos = number.movePointRight(9);
        return Instant.ofEpochSecond(0, nanos.longValue());
      }
      return Instant.ofEpochMilli(number.longValue());
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
