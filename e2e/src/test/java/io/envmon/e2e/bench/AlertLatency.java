package io.envmon.e2e.bench;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.station.Station;
import io.envmon.sim.transport.MqttTransport;
import io.envmon.testsupport.Infrastructure;
import java.time.Clock;
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
 * Reading-to-alert latency under load (docs/performance.md): while {@code loadFleet} sends readings
 * at a fixed rate through the real path (simulator → MQTT → gateway → Kafka → Flink), each probe
 * noise station (zone 1, raise-after and clear-after 1, the jobs' default) alternates a loud
 * reading (Leq 85 dB(A), over every limit of the zone: raises NOISE_LIMIT) and a quiet one (40
 * dB(A), under every limit: clears it), one probe reading every 100 ms over its own MQTT
 * connection. The latency of an alert is from the moment the loud reading is handed to the MQTT
 * client to the moment the RAISED record (found by point and {@code startedAt} = the loud reading's
 * time) is polled from Kafka {@code envmon.alerts.v1}, by two consumers: {@code read_committed}
 * (what a consumer of the exactly-once topic sees: includes the wait for the checkpoint that
 * commits the transaction) and {@code read_uncommitted} (the processing path alone).
 */
final class AlertLatency {

  private static final double LOUD_DBA = 85;
  private static final double QUIET_DBA = 40;
  private static final long PROBE_PERIOD_MS = 100;

  private AlertLatency() {}

  /** Runs the phase and prints its figures; false when a raised alert did not arrive. */
  static boolean measure(
      Infrastructure infra,
      String run,
      List<Station> loadFleet,
      List<NoiseStation> probes,
      double rate,
      int seconds)
      throws Exception {
    // Every load station reports once a (virtual) minute: acceleration 60 × rate / stations.
    double acceleration = 60 * rate / loadFleet.size();
    long perStation = Math.max(1, Math.round(rate * seconds / loadFleet.size()));
    Instant loadStart =
        Instant.now().minus(Duration.ofMinutes(perStation + 5)).truncatedTo(ChronoUnit.MINUTES);
    System.out.printf(
        "alert latency: %d MQTT air stations at %,.0f readings/s offered for %d s; %d noise probes,"
            + " one probe reading every %d ms (loud raises NOISE_LIMIT, quiet clears it)%n",
        loadFleet.size(), rate, seconds, probes.size(), PROBE_PERIOD_MS);

    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Set<String> probeIds = ConcurrentHashMap.newKeySet();
    probes.forEach(p -> probeIds.add(p.pointId()));
    AtomicBoolean stop = new AtomicBoolean();
    Watcher committed = new Watcher(infra, "read_committed", probeIds, sentAt, stop);
    Watcher uncommitted = new Watcher(infra, "read_uncommitted", probeIds, sentAt, stop);
    committed.startAndAwaitAssignment();
    uncommitted.startAndAwaitAssignment();

    AtomicBoolean loadDone = new AtomicBoolean();
    List<Throwable> probeFailure = Collections.synchronizedList(new ArrayList<>());
    Instant probeBase = Instant.now().minus(Duration.ofHours(12)).truncatedTo(ChronoUnit.MINUTES);
    Thread prober =
        new Thread(
            () -> {
              try (MqttTransport mqtt =
                  new MqttTransport(
                      infra.mqttUrl(), "bench-probe-" + run, null, null, 100, (t, r) -> {})) {
                int[] count = new int[probes.size()];
                int next = 0;
                while (!loadDone.get()) {
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
              } catch (Exception e) {
                probeFailure.add(e);
              }
            },
            "bench-probe");

    long t0 = System.nanoTime();
    prober.start();
    Progress progress;
    try (MqttTransport mqtt =
        new MqttTransport(infra.mqttUrl(), "bench-load-" + run, null, null, 1000, (t, r) -> {})) {
      progress =
          new Simulation(
                  loadFleet,
                  mqtt,
                  loadStart,
                  Duration.ofMinutes(perStation),
                  acceleration,
                  Clock.systemUTC())
              .run(Duration.ofSeconds(60), p -> {});
    }
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    loadDone.set(true);
    prober.join();
    if (!probeFailure.isEmpty()) {
      throw new IllegalStateException("the probe sender failed", probeFailure.get(0));
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
    System.out.printf(
        "background load: %,d readings acknowledged at the edge in %.1f s = %,.0f readings/s"
            + " reached (%,.0f offered)%n",
        progress.acknowledged(), loadSeconds, progress.acknowledged() / loadSeconds, rate);
    print("reading-to-alert (read_committed)", committed.latencies, sentAt.size());
    print("reading-to-alert (read_uncommitted)", uncommitted.latencies, sentAt.size());
    return committed.latencies.size() == sentAt.size()
        && uncommitted.latencies.size() == sentAt.size();
  }

  private static void print(String what, List<Long> latenciesNanos, int raised) {
    List<Long> sorted = new ArrayList<>(latenciesNanos);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.printf("%s: 0 of %d alerts arrived%n", what, raised);
      return;
    }
    System.out.printf(
        "%s: %d of %d alerts arrived; p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms%n",
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
