package io.envmon.e2e.bench;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.transport.MqttTransport;
import io.envmon.testsupport.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reading-to-alert latency under load (docs/performance.md): while the load generator sends
 * readings at a fixed rate through the real path (MQTT → gateway → Kafka → Flink), each probe noise
 * station (zone 1, raise-after and clear-after 1, the jobs' default) alternates a loud reading (Leq
 * 85 dB(A), over every limit of the zone: raises NOISE_LIMIT) and a quiet one (40 dB(A), under
 * every limit: clears it), one probe reading every 100 ms over its own MQTT connection. The latency
 * of an alert is from the moment the loud reading is handed to the MQTT client to the moment the
 * RAISED record (found by point and {@code startedAt} = the loud reading's time) is polled from
 * Kafka {@code envmon.alerts.v1}, by two consumers: {@code read_committed} (what a consumer of the
 * exactly-once topic sees: includes the wait for the checkpoint that commits the transaction) and
 * {@code read_uncommitted} (the processing path alone).
 */
final class AlertLatency {

  private static final double LOUD_DBA = 85;
  private static final double QUIET_DBA = 40;
  private static final long PROBE_PERIOD_MS = 100;

  private AlertLatency() {}

  /** The phase's figures. */
  record Result(
      double offered, double reached, int raised, List<Long> committed, List<Long> uncommitted) {

    Result withLoad(double offered, double reached) {
      return new Result(offered, reached, raised, committed, uncommitted);
    }

    boolean complete() {
      return committed.size() == raised && uncommitted.size() == raised;
    }

    @Override
    public String toString() {
      return "reading-to-alert at %,.0f readings/s offered (%,.0f/s PUBACKed): %s; %s"
          .formatted(
              offered,
              reached,
              describe("read_committed", committed, raised),
              describe("read_uncommitted", uncommitted, raised));
    }
  }

  /**
   * Runs the probes for {@code seconds} while the caller's load goes on, waits up to 30 s for the
   * last alerts and returns the latencies.
   */
  static Result measure(
      Infrastructure infra, BenchFleet.Device probeDevice, List<NoiseStation> probes, int seconds)
      throws Exception {
    System.out.printf(
        "alert latency: %d noise probes for %d s, one probe reading every %d ms (loud raises"
            + " NOISE_LIMIT, quiet clears it)%n",
        probes.size(), seconds, PROBE_PERIOD_MS);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Set<String> probeIds = ConcurrentHashMap.newKeySet();
    probes.forEach(p -> probeIds.add(p.pointId()));
    AtomicBoolean stop = new AtomicBoolean();
    Watcher committed = new Watcher(infra, "read_committed", probeIds, sentAt, stop);
    Watcher uncommitted = new Watcher(infra, "read_uncommitted", probeIds, sentAt, stop);
    committed.startAndAwaitAssignment();
    uncommitted.startAndAwaitAssignment();

    Instant probeBase = Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    try (MqttTransport mqtt =
        new MqttTransport(
            infra.mqttUrl(),
            "bench-probe",
            probeDevice.id(),
            probeDevice.mqttPassword(),
            100,
            (t, r) -> {})) {
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
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((committed.latencies.size() < sentAt.size()
            || uncommitted.latencies.size() < sentAt.size())
        && System.nanoTime() < deadline) {
      Thread.sleep(200); // polling the consumers in a benchmark tool
    }
    stop.set(true);
    committed.thread.join();
    uncommitted.thread.join();
    return new Result(
        0, 0, sentAt.size(), List.copyOf(committed.latencies), List.copyOf(uncommitted.latencies));
  }

  private static String describe(String what, List<Long> latenciesNanos, int raised) {
    List<Long> sorted = new ArrayList<>(latenciesNanos);
    Collections.sort(sorted);
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

  /** Nearest-rank percentile of a sorted list. */
  static long percentile(List<Long> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String key(String pointId, Instant at) {
    return pointId + "@" + at.toEpochMilli();
  }

  /** A consumer of {@code envmon.alerts.v1} from its end, recording each probe alert's latency. */
  private static final class Watcher {
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
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
}
