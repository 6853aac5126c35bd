package io.envmon.domain.hj212;

import io.envmon.domain.reading.Reading;
import java.util.List;

/**
 * The readings an HJ 212 data packet carried (one per packet: a packet has one DataTime), and why
 * some of its factors were left out. Both may be non-empty: the valid factors are kept.
 */
public record Hj212DecodeResult(List<Reading> readings, List<FactorError> errors) {
  public Hj212DecodeResult {
    readings = List.copyOf(readings);
    errors = List.copyOf(errors);
  }

  /** True when every factor of the packet was used. */
  public boolean isComplete() {
    return errors.isEmpty();
  }
}
