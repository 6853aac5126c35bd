package io.envmon.jobs;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Instant;
import java.util.List;

/** Readings for tests, as a gateway would have accepted them. */
public final class Readings {
  private Readings() {}

  public static AcceptedReading reading(
      String cityId, String pointId, PointKind kind, Instant observedAt, Measurement... values) {
    return new AcceptedReading(
        new Reading(
            Reading.idFor(pointId, observedAt), pointId, observedAt, List.of(values), Source.MQTT),
        cityId,
        kind,
        cityId + "-gw-1",
        observedAt.toEpochMilli(),
        observedAt.plusSeconds(1));
  }

  /** The same reading, arrived at the gateway at {@code receivedAt}. */
  public static AcceptedReading arrivedAt(AcceptedReading accepted, Instant receivedAt) {
    return accepted.withReceivedAt(receivedAt);
  }
}
