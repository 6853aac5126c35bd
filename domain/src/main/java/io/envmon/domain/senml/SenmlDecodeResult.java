package io.envmon.domain.senml;

import io.envmon.domain.reading.Reading;
import java.util.List;

/**
 * The readings a SenML pack carried, and why some of its records were left out. Both may be
 * non-empty: the valid records are kept.
 */
public record SenmlDecodeResult(List<Reading> readings, List<RecordError> errors) {
  public SenmlDecodeResult {
    readings = List.copyOf(readings);
    errors = List.copyOf(errors);
  }

  /** True when every record of the pack was used. */
  public boolean isComplete() {
    return errors.isEmpty();
  }
}
