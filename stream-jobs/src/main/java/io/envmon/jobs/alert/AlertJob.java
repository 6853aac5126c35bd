package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * Alerts from readings and the registry: one small keyed function per alert type, their events
 * through the JOINT fan-out, to the given sinks (Kafka {@code envmon.alerts.v1} and InfluxDB in
 * production).
 */
public final class AlertJob {
  private final AlertSettings settings;
  private final Sink<Alert> alerts;
  private final Sink<Alert> history;

  public AlertJob(AlertSettings settings, Sink<Alert> alerts, Sink<Alert> history) {
    this.settings = settings;
    this.alerts = alerts;
    this.history = history;
  }

  public DataStream<Alert> attach(
      DataStream<AcceptedReading> readings, DataStream<PointUpdate> points) {
    BroadcastStream<PointUpdate> registry = RegistryState.broadcast(points);
    KeyedStream<AcceptedReading, String> byPoint =
        readings.keyBy(reading -> reading.reading().pointId());
    DataStream<Alert> air =
        byPoint
            .connect(registry)
            .process(new AirQualityFunction(settings))
            .name("AIR_QUALITY")
            .uid("air-quality");
    DataStream<Alert> water =
        byPoint
            .connect(registry)
            .process(new WaterClassFunction(settings))
            .name("WATER_CLASS")
            .uid("water-class");
    DataStream<Alert> noise =
        byPoint
            .connect(registry)
            .process(new NoiseLimitFunction(settings))
            .name("NOISE_LIMIT")
            .uid("noise-limit");
    DataStream<Alert> offline =
        byPoint
            .connect(points.keyBy(PointUpdate::pointId))
            .process(new OfflineDetector(settings))
            .name("DEVICE_OFFLINE")
            .uid("offline");
    DataStream<Alert> stuck =
        byPoint.process(new DataQualityDetector(settings)).name("DATA_QUALITY").uid("stuck");
    DataStream<Alert> all =
        air.union(water, noise, offline, stuck)
            .keyBy(Alert::alertId)
            .connect(registry)
            .process(new JointAlertFanOut(settings))
            .name("JOINT fan-out")
            .uid("joint-fan-out");
    all.sinkTo(alerts).name("alerts").uid("alerts-sink");
    if (history != null) {
      all.sinkTo(history).name("alert history").uid("alert-history-sink");
    }
    return all;
  }
}
