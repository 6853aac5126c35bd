package io.envmon.e2e.bench;

import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.transport.MqttTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator of {@code ./envmon bench e2e}, a process of its own (docs/performance.md "The
 * whole path"): the air stations of a bench devices file ({@link BenchFleet}) publish SenML, QoS 1,
 * to {@code envmon/v1/{city}/{point}/up}, one MQTT connection per device with its own broker login,
 * at an offered rate the coordinator sets on stdin.
 *
 * <p>Station {@code i}'s reading number {@code k} is observed at {@code start + k × spacing}; the
 * stations take turns, so after {@code n} readings each station has sent {@code n / stations} (±1).
 * Commands on stdin: {@code rate R} (readings/s; {@code max} = as fast as PUBACKs come, bounded by
 * the in-flight window), {@code stop} (stop sending, wait for every PUBACK, print {@code station
 * POINT SENT ACKED} per station and {@code done}, exit). Every second it prints {@code status
 * EPOCH_MS SENT ACKED FAILED}.
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    String mqttUrl = options.required("mqtt");
    BenchFleet fleet = BenchFleet.read(Path.of(options.required("devices")));
    Instant start = Instant.ofEpochMilli(Long.parseLong(options.required("start-epoch-ms")));
    Duration spacing = Duration.ofMillis(options.longValue("spacing-ms", 1000));
    int window = options.intValue("window", 1000);
    String name = options.value("name", "gen");

    List<MqttTransport> connections = new ArrayList<>();
    List<AirStation> stations = new ArrayList<>();
    List<Integer> connectionOf = new ArrayList<>();
    for (BenchFleet.Device device : fleet.generatorDevices()) {
      connections.add(
          new MqttTransport(
              mqttUrl,
              name + "-" + device.id(),
              device.id(),
              device.mqttPassword(),
              Math.max(1, window / fleet.generatorDevices().size()),
              device.points().stream()
                  .map(point -> MqttTopics.rejected(fleet.city(), point))
                  .toList(),
              (topic, reason) -> System.err.println("rejected on " + topic + ": " + reason)));
      for (String point : device.points()) {
        stations.add(new AirStation(point, fleet.city(), ZoneId.of("Asia/Shanghai"), spacing, 42));
        connectionOf.add(connections.size() - 1);
      }
    }
    int n = stations.size();
    AtomicLongArray sentPer = new AtomicLongArray(n);
    AtomicLongArray ackedPer = new AtomicLongArray(n);
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    // rate in readings/s, Double.POSITIVE_INFINITY = as fast as the window allows; 0 = paused
    double[] rate = {0};
    long[] rateSince = {System.nanoTime()};
    long[] sentAtRateChange = {0};
    Object lock = new Object();
    AtomicBoolean stop = new AtomicBoolean();

    Thread sender =
        new Thread(
            () -> {
              long index = 0;
              while (!stop.get()) {
                long target;
                synchronized (lock) {
                  double r = rate[0];
                  double elapsed = (System.nanoTime() - rateSince[0]) / 1e9;
                  target =
                      Double.isInfinite(r)
                          ? Long.MAX_VALUE
                          : sentAtRateChange[0] + (long) Math.floor(r * elapsed);
                }
                if (sent.get() >= target) {
                  LockSupport.parkNanos(200_000);
                  continue;
                }
                int i = (int) (index % n);
                long k = index / n;
                index++;
                AirStation station = stations.get(i);
                Instant at = start.plus(spacing.multipliedBy(k));
                Reading reading =
                    new Reading(
                        Reading.idFor(station.pointId(), at),
                        station.pointId(),
                        at,
                        withInstrumentJitter(station.measure(at), k),
                        Source.MQTT);
                sentPer.incrementAndGet(i);
                sent.incrementAndGet();
                // blocks while the connection's in-flight window is full
                connections
                    .get(connectionOf.get(i))
                    .send(station, reading)
                    .whenComplete(
                        (ok, failure) -> {
                          if (failure == null) {
                            ackedPer.incrementAndGet(i);
                            acked.incrementAndGet();
                          } else {
                            failed.incrementAndGet();
                          }
                        });
              }
            },
            "bench-sender");
    Thread status =
        new Thread(
            () -> {
              while (true) {
                System.out.printf(
                    "status %d %d %d %d%n",
                    System.currentTimeMillis(), sent.get(), acked.get(), failed.get());
                System.out.flush();
                try {
                  Thread.sleep(1000); // the status line's period
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-status");
    status.setDaemon(true);
    sender.start();
    status.start();
    System.out.printf("ready %d stations on %d connections%n", n, connections.size());
    System.out.flush();

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.startsWith("rate ")) {
        String value = line.substring(5).trim();
        synchronized (lock) {
          rate[0] = value.equals("max") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
          rateSince[0] = System.nanoTime();
          sentAtRateChange[0] = sent.get();
        }
      } else if (line.equals("stop")) {
        break;
      }
    }
    stop.set(true);
    sender.join();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (acked.get() + failed.get() < sent.get() && System.nanoTime() < deadline) {
      Thread.sleep(50); // waiting for the last PUBACKs
    }
    for (int i = 0; i < n; i++) {
      System.out.printf(
          "station %s %d %d%n", stations.get(i).pointId(), sentPer.get(i), ackedPer.get(i));
    }
    System.out.printf(
        "status %d %d %d %d%n", System.currentTimeMillis(), sent.get(), acked.get(), failed.get());
    System.out.println("done");
    System.out.flush();
    for (MqttTransport connection : connections) {
      connection.close();
    }
    System.exit(0);
  }

  /**
   * The simulated values drift smoothly over hours and are rounded, so at the bench's 10 s spacing
   * a station would repeat a value six times in a row and look stuck (DATA_QUALITY alerts on every
   * station, an alert load no real fleet has). A real analyser's reading jitters: add a step of the
   * value's last digit that changes with every reading.
   */
  static List<Measurement> withInstrumentJitter(List<Measurement> values, long k) {
    int step = (int) (k % 7) - 3;
    List<Measurement> jittered = new ArrayList<>(values.size());
    for (Measurement m : values) {
      if (m.parameter().isMeteorological()) { // never judged stuck (calm wind, fog)
        jittered.add(m);
        continue;
      }
      double unit = m.parameter() == Parameter.CO ? 0.01 : 0.1;
      double value = Math.max(0, Math.round((m.value() + step * unit) / unit) * unit);
      jittered.add(Measurement.valid(m.parameter(), value));
    }
    return jittered;
  }
}
