package io.envmon.domain.senml;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.senml.ResolvedRecord.TimeBasis;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies base fields and resolves relative times (RFC 8428 §4.6). Problems of one record become
 * {@link RecordError}s and the other records are still resolved; only pack-wide version problems
 * (§4.4) reject the whole pack.
 */
public final class SenmlResolver {

  /** RFC 8428 §4.4: the version defined by RFC 8428, and the default. */
  public static final int SENML_VERSION = 10;

  /** RFC 8428 §4.5.3: times below 2^28 are relative to "now". */
  static final BigDecimal RELATIVE_TIME_LIMIT = BigDecimal.valueOf(1L << 28);

  private static final BigDecimal MIN_EPOCH_SECOND =
      BigDecimal.valueOf(Instant.MIN.getEpochSecond());
  // One second of headroom below Instant.MAX so that rounding the nanoseconds cannot overflow.
  private static final BigDecimal MAX_EPOCH_SECOND =
      BigDecimal.valueOf(Instant.MAX.getEpochSecond() - 1);
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal MAX_DURATION_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE - 1);

  private SenmlResolver() {}

  /**
   * Resolves {@code pack}; relative times are taken relative to {@code clock}'s instant, read once
   * for the whole pack (RFC 8428 §4.5.3: "now" is the time of reception).
   *
   * @throws DecodeException when the pack's version is not understood or differs between records
   */
  public static ResolvedPack resolve(List<SenmlRecord> pack, Clock clock) throws DecodeException {
    Objects.requireNonNull(pack, "pack");
    BigDecimal now = epochSeconds(clock.instant());
    List<ResolvedRecord> resolved = new ArrayList<>();
    List<RecordError> errors = new ArrayList<>();

    String baseName = null;
    Double baseTime = null;
    String baseUnit = null;
    Double baseValue = null;
    Double baseSum = null;
    int version = SENML_VERSION;
    Integer packVersion = null;

    for (int index = 0; index < pack.size(); index++) {
      SenmlRecord record = pack.get(index);
      if (record.bver() != null) {
        version = checkedVersion(record.bver(), index);
      }
      // RFC 8428 §4.4: all records in a pack MUST have the same version.
      if (packVersion == null) {
        packVersion = version;
      } else if (version != packVersion) {
        throw new DecodeException(
            "record has version "
                + version
                + " but the pack started with version "
                + packVersion
                + "; all records of a pack MUST have the same version (RFC 8428 §4.4)",
            "record " + index + ", bver");
      }
      // RFC 8428 §4: base fields apply to this record and the following ones until changed.
      if (record.bn() != null) {
        baseName = record.bn();
      }
      if (record.bt() != null) {
        baseTime = record.bt();
      }
      if (record.bu() != null) {
        baseUnit = record.bu();
      }
      if (record.bv() != null) {
        baseValue = record.bv();
      }
      if (record.bs() != null) {
        baseSum = record.bs();
      }
      if (!record.hasRegularField()) {
        // A record of base fields only, like the first record of RFC 8428 §5.1.7's example.
        continue;
      }
      List<RecordError> recordErrors = new ArrayList<>();
      String name = resolveName(index, baseName, record.n(), recordErrors);
      String unit = record.u() != null ? record.u() : baseUnit;
      SenmlValue value = resolveValue(index, record, baseValue, recordErrors);
      Double sum =
          record.s() == null && baseSum == null ? null : add(baseSum, record.s()).doubleValue();
      ResolvedTime time = resolveTime(index, baseTime, record.t(), now, recordErrors);
      Duration updateTime = resolveUpdateTime(index, record.ut(), recordErrors);
      DataFlag flag = resolveFlag(index, record.flag(), recordErrors);
      if (recordErrors.isEmpty()) {
        resolved.add(
            new ResolvedRecord(
                index, name, unit, value, sum, time.instant, time.basis, updateTime, flag));
      } else {
        errors.addAll(recordErrors);
      }
    }
    return new ResolvedPack(resolved, errors);
  }

  private static int checkedVersion(int bver, int index) throws DecodeException {
    if (bver <= 0) {
      throw new DecodeException(
          "bver " + bver + " is not a positive integer (RFC 8428 §4.1)", "record " + index);
    }
    if (bver > SENML_VERSION) {
      // RFC 8428 §4.4: a reader MUST NOT use an object of a version newer than it understands.
      throw new DecodeException(
          "SenML version " + bver + " is newer than version " + SENML_VERSION + " (RFC 8428 §4.4)",
          "record " + index);
    }
    return bver;
  }

  private static String resolveName(
      int index, String baseName, String name, List<RecordError> errors) {
    if (baseName == null && name == null) {
      errors.add(new RecordError(index, "n", "no name: neither bn nor n applies (RFC 8428 §4.2)"));
      return null;
    }
    String resolved = (baseName == null ? "" : baseName) + (name == null ? "" : name);
    if (!isValidName(resolved)) {
      errors.add(
          new RecordError(
              index,
              "n",
              "name "
                  + Quote.text(resolved)
                  + " must match [A-Za-z0-9][-:./_A-Za-z0-9]* (RFC 8428 §4.5.1)"));
    }
    return resolved;
  }

  /** RFC 8428 §4.5.1: the characters allowed in a concatenated name. */
  static boolean isValidName(String name) {
    if (name.isEmpty() || !isAlphanumeric(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAlphanumeric(c) && c != '-' && c != ':' && c != '.' && c != '/' && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static SenmlValue resolveValue(
      int index, SenmlRecord record, Double baseValue, List<RecordError> errors) {
    List<String> present = new ArrayList<>(4);
    if (record.v() != null) {
      present.add("v");
    }
    if (record.vs() != null) {
      present.add("vs");
    }
    if (record.vb() != null) {
      present.add("vb");
    }
    if (record.vd() != null) {
      present.add("vd");
    }
    if (present.size() > 1) {
      errors.add(
          new RecordError(
              index,
              present.get(1),
              "more than one value field ("
                  + String.join(", ", present)
                  + "); exactly one is allowed (RFC 8428 §4.2)"));
      return null;
    }
    if (present.isEmpty()) {
      if (record.s() == null) {
        errors.add(
            new RecordError(index, "v", "no value (v, vs, vb or vd) and no sum (RFC 8428 §4.2)"));
      }
      return null;
    }
    if (record.v() != null) {
      // RFC 8428 §4.5.4: base value plus value; a value-less record does not take the base value.
      return new SenmlValue.Numeric(add(baseValue, record.v()).doubleValue());
    }
    if (record.vs() != null) {
      return new SenmlValue.Text(record.vs());
    }
    if (record.vb() != null) {
      return new SenmlValue.Bool(record.vb());
    }
    return new SenmlValue.Data(record.vd());
  }

  private record ResolvedTime(Instant instant, TimeBasis basis) {}

  private static ResolvedTime resolveTime(
      int index, Double baseTime, Double time, BigDecimal now, List<RecordError> errors) {
    if (baseTime == null && time == null) {
      return new ResolvedTime(toInstant(now), TimeBasis.NOT_GIVEN);
    }
    Sum seconds = add(baseTime, time);
    if (!seconds.isFinite()) {
      errors.add(new RecordError(index, "t", "time bt + t is not a finite number"));
      return null;
    }
    // RFC 8428 §4.5.3: values below 2^28 are relative to now, the others absolute.
    boolean relative = seconds.exact.compareTo(RELATIVE_TIME_LIMIT) < 0;
    BigDecimal epochSeconds = relative ? now.add(seconds.exact) : seconds.exact;
    if (epochSeconds.compareTo(MIN_EPOCH_SECOND) < 0
        || epochSeconds.compareTo(MAX_EPOCH_SECOND) > 0) {
      errors.add(
          new RecordError(
              index,
              "t",
              "time " + seconds.doubleValue() + " s is outside the range of representable times"));
      return null;
    }
    return new ResolvedTime(
        toInstant(epochSeconds), relative ? TimeBasis.RELATIVE : TimeBasis.ABSOLUTE);
  }

  private static Duration resolveUpdateTime(
      int index, Double updateTime, List<RecordError> errors) {
    if (updateTime == null) {
      return null;
    }
    if (!Double.isFinite(updateTime)
        || updateTime < 0
        || BigDecimal.valueOf(updateTime).compareTo(MAX_DURATION_SECONDS) > 0) {
      errors.add(
          new RecordError(
              index, "ut", "update time " + updateTime + " is not a period of seconds ≥ 0"));
      return null;
    }
    BigDecimal[] secondsAndNanos =
        BigDecimal.valueOf(updateTime)
            .multiply(NANOS_PER_SECOND)
            .setScale(0, RoundingMode.HALF_EVEN)
            .divideAndRemainder(NANOS_PER_SECOND);
    return Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
  }

  private static DataFlag resolveFlag(int index, String flag, List<RecordError> errors) {
    if (flag == null) {
      return DataFlag.N;
    }
    return DataFlag.parse(flag)
        .orElseGet(
            () -> {
              errors.add(
                  new RecordError(
                      index,
                      "flag",
                      "unknown data flag "
                          + Quote.text(flag)
                          + "; expected one of N, F, M, S, D, C, T, B (HJ 212-2017)"));
              return null;
            });
  }

  /** A base field plus a regular field, either possibly absent (taken as zero), exactly. */
  private static Sum add(Double base, Double field) {
    double b = base == null ? 0 : base;
    double f = field == null ? 0 : field;
    if (!Double.isFinite(b) || !Double.isFinite(f)) {
      return new Sum(null, b + f);
    }
    // Decimal sums of the shortest representations: 0.1 + 0.2 is 0.3, as the sender wrote it.
    BigDecimal exact = BigDecimal.valueOf(b).add(BigDecimal.valueOf(f));
    return new Sum(exact, exact.doubleValue());
  }

  private record Sum(BigDecimal exact, double doubleValue) {
    boolean isFinite() {
      return exact != null;
    }
  }

  private static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.getEpochSecond())
        .add(BigDecimal.valueOf(instant.getNano(), 9));
  }

  private static Instant toInstant(BigDecimal epochSeconds) {
    BigDecimal nanosTotal = epochSeconds.setScale(9, RoundingMode.HALF_EVEN);
    BigDecimal wholeSeconds = nanosTotal.setScale(0, RoundingMode.FLOOR);
    long nanos = nanosTotal.subtract(wholeSeconds).movePointRight(9).longValue();
    return Instant.ofEpochSecond(wholeSeconds.longValueExact(), nanos);
  }
}
