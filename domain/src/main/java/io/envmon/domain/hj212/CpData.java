package io.envmon.domain.hj212;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command parameters {@code CP=&&…&&} of an HJ 212-2017 packet: the data time, the other fields
 * (e.g. {@code RtdInterval}, {@code QnRtn}) in packet order, and the per-factor entries.
 *
 * @param dataTime {@code DataTime}, read in the station's time zone; {@code null} when absent
 * @param fields every field that is neither {@code DataTime} nor a factor field
 */
public record CpData(Instant dataTime, Map<String, String> fields, List<FactorValues> factors) {

  /** {@code CP=&&&&}. */
  public static final CpData EMPTY = new CpData(null, Map.of(), List.of());

  /** The name of the data time field. */
  public static final String DATA_TIME = "DataTime";

  public CpData {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    factors = List.copyOf(factors);
    if (fields.containsKey(DATA_TIME)) {
      throw new IllegalArgumentException("DataTime belongs in dataTime, not in fields");
    }
  }

  /** A data area holding only the data time and factor entries, as uploads do. */
  public static CpData of(Instant dataTime, List<FactorValues> factors) {
    return new CpData(dataTime, Map.of(), factors);
  }

  public Optional<FactorValues> factor(String code) {
    return factors.stream().filter(f -> f.code().equals(code)).findFirst();
  }
}
