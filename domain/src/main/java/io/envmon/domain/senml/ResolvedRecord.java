package io.envmon.domain.senml;

import io.envmon.domain.reading.DataFlag;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A SenML record with the base fields of its pack applied and its time made absolute (RFC 8428
 * §4.6). {@code index} is the record's 0-based position in the pack it came from.
 *
 * @param unit the record's unit, else the base unit; {@code null} when neither is given
 * @param value {@code null} when the record carries only a sum
 * @param sum base sum plus sum; {@code null} when neither is given (RFC 8428 §4.5.4)
 * @param timeBasis how {@code time} was obtained
 * @param updateTime {@code null} when absent
 * @param flag envmon's {@code flag} extension; {@link DataFlag#N} when absent
 */
public record ResolvedRecord(
    int index,
    String name,
    String unit,
    SenmlValue value,
    Double sum,
    Instant time,
    TimeBasis timeBasis,
    Duration updateTime,
    DataFlag flag) {

  /** Where a resolved time came from (RFC 8428 §4.5.3). */
  public enum TimeBasis {
    /** bt + t is at least 2^28: seconds since the Unix epoch. */
    ABSOLUTE,
    /** bt + t is below 2^28: seconds relative to "now", the resolver's clock. */
    RELATIVE,
    /** Neither bt nor t applies: the record was measured roughly "now". */
    NOT_GIVEN
  }

  public ResolvedRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(timeBasis, "timeBasis");
    Objects.requireNonNull(flag, "flag");
  }
}
