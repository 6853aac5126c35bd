package io.envmon.jobs.bench;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.jobs.alert.AirQualityFunction;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.RegistryState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The cost of the AIR_QUALITY function's keyed state as it lives: {@code --points} air stations
 * each sending the six pollutants every {@code --interval-seconds} for {@code --hours} hours of
 * observation time, the platform clock following; a checkpoint each simulated hour. Prints the CPU
 * µs per reading (processing) and, per checkpoint, the CPU ms and bytes of the snapshot — at the
 * end, once the lateness horizon (7 days) has filled the state, the figure a long-running
 * deployment pays at every checkpoint. Run with {@code ./envmon bench air-state}.
 */
public final class AirStateBenchmark {

  public static void main(String[] args) throws Exception {
    int points = 200;
    int hours = 7 * 24 + 2;
    int intervalSeconds = 60;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--points" -> points = Integer.parseInt(args[i + 1]);
        case "--hours" -> hours = Integer.parseInt(args[i + 1]);
        case "--interval-seconds" -> intervalSeconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    AlertSettings settings = AlertSettings.defaults(List.of("benchcity"));
    var harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new AirQualityFunction(settings),
            (AcceptedReading r) -> r.reading().pointId(),
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES);
    // Checkpoints go to files, as in production (envmon.checkpoint.dir).
    Path checkpoints = Files.createTempDirectory("air-state-benchmark");
    harness.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
    harness.processBroadcastWatermark(Long.MAX_VALUE);

    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    long readings = 0;
    long processingNanos = 0;
    int perHour = 3600 / intervalSeconds;
    System.out.printf(
        Locale.ROOT,
        "air state: %d points, a reading every %d s (%d an hour each), %d hours, lateness horizon"
            + " %s%n",
        points,
        intervalSeconds,
        perHour,
        hours,
        Duration.ofMillis(settings.latenessHorizonMillis()));
    for (int hour = 0; hour < hours; hour++) {
      List<AcceptedReading> hourReadings = new ArrayList<>(perHour * points);
      for (int slot = 0; slot < perHour; slot++) {
        Instant observed = start.plusSeconds(hour * 3600L + (long) slot * intervalSeconds);
        for (int p = 0; p < points; p++) {
          hourReadings.add(reading("benchcity-air-" + p, observed, p + slot));
        }
      }
      long cpuStart = cpu.getCurrentThreadCpuTime();
      for (AcceptedReading reading : hourReadings) {
        harness.processElement(reading, reading.receivedAt().toEpochMilli());
      }
      readings += hourReadings.size();
      harness.processWatermark(
          start.plus(Duration.ofHours(hour + 1)).plus(AlertSettings.DEFAULT_SETTLE).toEpochMilli());
      processingNanos += cpu.getCurrentThreadCpuTime() - cpuStart;

      long snapshotStart = cpu.getCurrentThreadCpuTime();
      OperatorSubtaskState snapshot = harness.snapshot(hour, hour);
      long snapshotNanos = cpu.getCurrentThreadCpuTime() - snapshotStart;
      if (hour % 24 == 23 || hour == hours - 1) {
        System.out.printf(
            Locale.ROOT,
            "hour %4d: %,d readings, processing %.1f µs/reading (CPU, so far); checkpoint %,.1f ms"
                + " CPU, %,d bytes (%,d per point)%n",
            hour + 1,
            readings,
            processingNanos / 1000.0 / readings,
            snapshotNanos / 1e6,
            snapshot.getStateSize(),
            snapshot.getStateSize() / points);
      }
    }
    harness.close();
  }

  private static AcceptedReading reading(String pointId, Instant observed, int salt) {
    List<Measurement> values =
        List.of(
            Measurement.valid(Parameter.PM25, 30 + salt % 40),
            Measurement.valid(Parameter.PM10, 60 + salt % 50),
            Measurement.valid(Parameter.SO2, 8 + salt % 5),
            Measurement.valid(Parameter.NO2, 30 + salt % 20),
            Measurement.valid(Parameter.CO, 0.6 + (salt % 10) / 10.0),
            Measurement.valid(Parameter.O3, 80 + salt % 60));
    return new AcceptedReading(
        new Reading(Reading.idFor(pointId, observed), pointId, observed, values, Source.MQTT),
        "benchcity",
        PointKind.AIR,
        "benchcity-gw-1",
        observed.toEpochMilli(),
        observed.plusSeconds(1));
  }
}
