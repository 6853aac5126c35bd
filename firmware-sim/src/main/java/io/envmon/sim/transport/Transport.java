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

  /**
   * Sends the malformed packet a faulty station sends at {@code at} instead of its reading (fault
   * {@code malformed}, {@link io.envmon.sim.scenario.MalformedPackets}); by default the transport
   * cannot, and the future fails saying so.
   */
  default CompletableFuture<Void> sendMalformed(Station station, java.time.Instant at) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(
            getClass().getSimpleName() + " cannot send malformed packets yet"));
  }

  /**
   * Fault "reconnect storm": every connection of this transport drops and connects again at once;
   * by default (connectionless or not yet supported) nothing happens.
   */
  default void reconnectAll() {}

  @Override
  void close();
}
