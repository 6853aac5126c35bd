package io.envmon.domain.senml;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import java.util.Objects;

/**
 * Why one record of a SenML pack was not used: {@code index} is the record's 0-based position in
 * the pack, {@code field} the SenML label at fault (e.g. {@code n}, {@code v}, {@code t}).
 */
public record RecordError(int index, String field, String reason) {
  public RecordError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }

  /** The refusal a bureau reads: MALFORMED at {@code record <index> <field>}. */
  public Refusal refusal() {
    return new Refusal(RefusalReason.MALFORMED, "record " + index + " " + field, reason);
  }

  @Override
  public String toString() {
    return "record " + index + ", " + field + ": " + reason;
  }
}
