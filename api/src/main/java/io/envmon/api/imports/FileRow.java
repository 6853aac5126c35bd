package io.envmon.api.imports;

import io.envmon.domain.reading.Reading;
import io.envmon.domain.validation.Refusal;
import java.util.List;

/**
 * One row of an uploaded file (a CSV line, or the SenML records of one point and time): the reading
 * it holds with the values that could not be read, or why nothing of it could be read. {@code line}
 * is the CSV line number (1 = the header) or the SenML record's index in the pack.
 */
sealed interface FileRow {
  long line();

  /** A reading to validate; {@code unreadable} lists values left out while reading the row. */
  record Parsed(long line, Reading reading, List<Refusal> unreadable) implements FileRow {
    public Parsed {
      unreadable = List.copyOf(unreadable);
    }
  }

  /** Nothing of the row could be read. */
  record Unreadable(long line, String pointId, List<Refusal> refusals) implements FileRow {
    public Unreadable {
      refusals = List.copyOf(refusals);
    }
  }
}
