package io.envmon.domain.reading;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What one station measured at one point at one instant. The {@code readingId} is stable across
 * retries and replays so every stage downstream can deduplicate.
 *
 * @param backfilled the station marked it as re-sent history (HJ 212-2025 {@code RF=1}, 补传); only
 *     informational: downstream stages order readings by {@code observedAt} whatever the marker
 */
public record Reading(
    String readingId,
    String pointId,
    Instant observedAt,
    List<Measurement> measurements,
    Source source,
    boolean backfilled) {

  /** A reading sent live (not marked as back-filled). */
  public Reading(
      String readingId,
      String pointId,
      Instant observedAt,
      List<Measurement> measurements,
      Source source) {
    this(readingId, pointId, observedAt, measurements, source, false);
  }

  public Reading {
    Objects.requireNonNull(readingId, "readingId");
    Objects.requireNonNull(pointId, "pointId");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(source, "source");
    measurements = List.copyOf(measurements);
  }

  /**
   * The stable id of the reading of {@code pointId} observed at {@code observedAt}: a name-based
   * UUID, so a device's retransmission or a replay gets the same id and the same InfluxDB series
   * and timestamp.
   */
  public static String idFor(String pointId, Instant observedAt) {
    String name = pointId + "@" + observedAt.toEpochMilli();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  public Optional<Measurement> measurement(Parameter parameter) {
    return measurements.stream().filter(m -> m.parameter() == parameter).findFirst();
  }

  /** True when at least one value is valid data (flag N, finite). */
  public boolean hasValidData() {
    return measurements.stream().anyMatch(Measurement::isValidData);
  }
}
