package io.envmon.domain.reading;

import io.envmon.domain.point.PointKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A reading as a city's edge gateway accepted it: the payload of Kafka {@code envmon.readings.v1}.
 * Carries the point's city and kind as the gateway's registry knew them, and the gateway's own
 * sequence number, so downstream stages can account for every reading of every gateway.
 */
public record AcceptedReading(
    Reading reading,
    String cityId,
    PointKind kind,
    String gatewayId,
    long gatewaySequence,
    Instant receivedAt) {
  public AcceptedReading {
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(cityId, "cityId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The same reading, arrived at {@code newReceivedAt}. */
  public AcceptedReading withReceivedAt(Instant newReceivedAt) {
    return new AcceptedReading(reading, cityId, kind, gatewayId, gatewaySequence, newReceivedAt);
  }

  /**
   * The observation time, but never after the arrival at the gateway: a station clock running a
   * little ahead (within the gateway's allowed skew) cannot date anything in the platform's future.
   */
  public Instant credibleObservedAt() {
    Instant observedAt = reading.observedAt();
    return observedAt.isAfter(receivedAt) ? receivedAt : observedAt;
  }
}
