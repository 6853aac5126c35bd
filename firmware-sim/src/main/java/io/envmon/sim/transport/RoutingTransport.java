package io.envmon.sim.transport;

import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.Station;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends each station's readings through the transport of its protocol and city's gateway. */
public final class RoutingTransport implements Transport {

  private final Map<String, Transport> byPoint;

  public RoutingTransport(Map<String, Transport> byPoint) {
    this.byPoint = Map.copyOf(byPoint);
  }

  @Override
  public CompletableFuture<Void> send(Station station, Reading reading) {
    Transport transport = byPoint.get(station.pointId());
    if (transport == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no transport for station " + station.pointId()));
    }
    return transport.send(station, reading);
  }

  @Override
  public CompletableFuture<Void> sendMalformed(Station station, java.time.Instant at) {
    Transport transport = byPoint.get(station.pointId());
    if (transport == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no transport for station " + station.pointId()));
    }
    return transport.sendMalformed(station, at);
  }

  @Override
  public void reconnectAll() {
    Map<Transport, Boolean> distinct = new IdentityHashMap<>();
    byPoint.values().forEach(t -> distinct.put(t, true));
    distinct.keySet().forEach(Transport::reconnectAll);
  }

  /** Closes every distinct transport once. */
  @Override
  public void close() {
    Map<Transport, Boolean> distinct = new IdentityHashMap<>();
    byPoint.values().forEach(t -> distinct.put(t, true));
    List<RuntimeException> failures = new ArrayList<>();
    for (Transport transport : distinct.keySet()) {
      try {
        transport.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
