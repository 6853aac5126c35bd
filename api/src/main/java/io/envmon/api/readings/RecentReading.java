package io.envmon.api.readings;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.PointReview;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One reading as "latest" needs it, compact (about 100 bytes for an air reading): its time in epoch
 * milliseconds (InfluxDB's precision for readings) and, for each parameter of its kind in canonical
 * order, the value ({@code NaN}: none) and its data flag. Made from a Kafka record by the latest
 * view or from an InfluxDB row; immutable.
 */
public final class RecentReading {

  private static final Map<PointKind, List<Parameter>> PARAMETERS = new EnumMap<>(PointKind.class);
  private static final DataFlag[] FLAGS = DataFlag.values();

  static {
    for (PointKind kind : PointKind.values()) {
      PARAMETERS.put(
          kind, Arrays.stream(Parameter.values()).filter(p -> p.kind() == kind).toList());
    }
  }

  private final long timeMillis;
  private final PointKind kind;
  private final double[] values;
  private final byte[] flags;

  private RecentReading(long timeMillis, PointKind kind, double[] values, byte[] flags) {
    this.timeMillis = timeMillis;
    this.kind = kind;
    this.values = values;
    this.flags = flags;
  }

  /** The parameters of a kind, in the order readings list them. */
  public static List<Parameter> parametersOf(PointKind kind) {
    return PARAMETERS.get(kind);
  }

  /** A reading from Kafka {@code envmon.readings.v1}; non-finite values keep only their flag. */
  static RecentReading of(AcceptedReading accepted) {
    PointKind kind = accepted.kind();
    RecentReading reading = empty(accepted.reading().observedAt().toEpochMilli(), kind);
    List<Parameter> parameters = parametersOf(kind);
    for (Measurement m : accepted.reading().measurements()) {
      int index = parameters.indexOf(m.parameter());
      if (index >= 0 && Double.isFinite(m.value())) {
        reading.values[index] = m.value();
        reading.flags[index] = (byte) m.flag().ordinal();
      }
    }
    return reading;
  }

  /**
   * A row of InfluxDB measurement {@code reading}; a value stored without a flag counts as N, one
   * with a flag that is no HJ 212 flag as B (not valid).
   */
  static RecentReading of(InfluxReader.Row row, PointKind kind) {
    RecentReading reading = empty(row.time().toEpochMilli(), kind);
    List<Parameter> parameters = parametersOf(kind);
    for (int i = 0; i < parameters.size(); i++) {
      String name = parameters.get(i).canonicalName();
      if (row.columns().get(name) instanceof Number number) {
        reading.values[i] = number.doubleValue();
        Object flag = row.columns().get(name + "_flag");
        reading.flags[i] =
            (byte)
                (flag == null ? DataFlag.N : DataFlag.parse(flag.toString()).orElse(DataFlag.B))
                    .ordinal();
      }
    }
    return reading;
  }

  private static RecentReading empty(long timeMillis, PointKind kind) {
    int size = parametersOf(kind).size();
    double[] values = new double[size];
    Arrays.fill(values, Double.NaN);
    return new RecentReading(timeMillis, kind, values, new byte[size]);
  }

  /**
   * This reading with another one of the same time laid over it, value by value, as InfluxDB merges
   * two points of one series and timestamp (a replayed reading overwrites, it does not add).
   */
  RecentReading overwrittenBy(RecentReading newer) {
    if (newer.kind != kind) {
      return newer;
    }
    double[] merged = values.clone();
    byte[] mergedFlags = flags.clone();
    for (int i = 0; i < merged.length; i++) {
      if (!Double.isNaN(newer.values[i])) {
        merged[i] = newer.values[i];
        mergedFlags[i] = newer.flags[i];
      }
    }
    return new RecentReading(timeMillis, kind, merged, mergedFlags);
  }

  /**
   * This reading without the values {@code review} invalidated: itself when none is, empty when no
   * value is left.
   */
  Optional<RecentReading> reviewedBy(PointReview review) {
    if (review.isEmpty()) {
      return Optional.of(this);
    }
    List<Parameter> parameters = parametersOf(kind);
    Instant time = time();
    double[] kept = null;
    boolean anyLeft = false;
    for (int i = 0; i < values.length; i++) {
      if (has(i) && review.invalidates(parameters.get(i), time)) {
        kept = kept == null ? values.clone() : kept;
        kept[i] = Double.NaN;
      } else if (has(i)) {
        anyLeft = true;
      }
    }
    if (kept == null) {
      return Optional.of(this);
    }
    return anyLeft
        ? Optional.of(new RecentReading(timeMillis, kind, kept, flags))
        : Optional.empty();
  }

  /** The readings without the values {@code review} invalidated, in the same order. */
  static List<RecentReading> reviewed(List<RecentReading> readings, PointReview review) {
    if (review.isEmpty()) {
      return readings;
    }
    return readings.stream().flatMap(r -> r.reviewedBy(review).stream()).toList();
  }

  long timeMillis() {
    return timeMillis;
  }

  Instant time() {
    return Instant.ofEpochMilli(timeMillis);
  }

  PointKind kind() {
    return kind;
  }

  /** Number of parameter slots (the kind's parameters). */
  int size() {
    return values.length;
  }

  boolean has(int index) {
    return !Double.isNaN(values[index]);
  }

  double value(int index) {
    return values[index];
  }

  DataFlag flag(int index) {
    return FLAGS[flags[index]];
  }

  /** A value that counts as data: present and flagged N. */
  boolean isValid(int index) {
    return has(index) && flags[index] == DataFlag.N.ordinal();
  }

  /** The values by canonical parameter name, in canonical order. */
  Map<String, Double> valuesByName() {
    Map<String, Double> named = new LinkedHashMap<>();
    List<Parameter> parameters = parametersOf(kind);
    for (int i = 0; i < values.length; i++) {
      if (has(i)) {
        named.put(parameters.get(i).canonicalName(), values[i]);
      }
    }
    return named;
  }

  /** The flags of the values present, by canonical parameter name. */
  Map<String, String> flagsByName() {
    Map<String, String> named = new LinkedHashMap<>();
    List<Parameter> parameters = parametersOf(kind);
    for (int i = 0; i < values.length; i++) {
      if (has(i)) {
        named.put(parameters.get(i).canonicalName(), flag(i).name());
      }
    }
    return named;
  }
}
