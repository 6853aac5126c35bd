package io.envmon.domain.senml;

import java.util.List;

/** The outcome of resolving a SenML pack: the records that resolved, and why the others did not. */
public record ResolvedPack(List<ResolvedRecord> records, List<RecordError> errors) {
  public ResolvedPack {
    records = List.copyOf(records);
    errors = List.copyOf(errors);
  }
}
