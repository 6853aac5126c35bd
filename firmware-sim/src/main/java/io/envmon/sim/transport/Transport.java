package io.envmon.sim.transport;

import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.Station;
import java.util.concurrent.CompletableFuture;

/**
 * How a station's reading reaches a gateway. The future completes when the gateway (or broker)
 * acknowledged the reading — MQTT PUBACK, CoAP 2.04, HJ 212 9014 — and fails with the reason when
 * it was refused or the connection failed.
 */
public interface Transport extends AutoCloseable {

  CompletableFuture<Void> send(Station station, Reading reading);

  @Override
  void close();
}
