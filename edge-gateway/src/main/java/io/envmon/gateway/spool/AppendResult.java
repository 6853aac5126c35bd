package io.envmon.gateway.spool;

import io.envmon.domain.reading.AcceptedReading;
import java.util.List;

/** What {@link Spool#append} did. */
public sealed interface AppendResult {

  /** The readings are in the journal (durably, under the default policy), with their sequences. */
  record Appended(List<AcceptedReading> readings) implements AppendResult {
    public Appended {
      readings = List.copyOf(readings);
    }
  }

  /** The spool is at its size cap; nothing was appended. The device should retry later. */
  record Full(long capBytes) implements AppendResult {}
}
