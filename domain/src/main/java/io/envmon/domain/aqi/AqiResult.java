package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An AQI with its category, every pollutant's IAQI, the primary pollutants (those with the largest
 * IAQI, only when AQI > 50) and the exceeding pollutants (IAQI > 100), HJ 633 §5; the standard it
 * was computed by, the report's pollutants that were missing or invalid, and whether the AQI is
 * published (HJ 633-2026 5.3.1: with a pollutant missing, only an AQI above 100 is; otherwise the
 * AQI is "NA" and only the IAQIs are given). {@link #aqi()} is always the largest IAQI of the
 * pollutants given; {@link #publishedAqi()} is empty when the AQI is "NA".
 */
public record AqiResult(
    int aqi,
    AqiCategory category,
    Map<Parameter, Integer> iaqi,
    List<Parameter> primaryPollutants,
    List<Parameter> exceedingPollutants,
    AqiStandard standard,
    Set<Parameter> missingPollutants,
    boolean aqiPublished) {
  public AqiResult {
    iaqi = Map.copyOf(iaqi);
    primaryPollutants = List.copyOf(primaryPollutants);
    exceedingPollutants = List.copyOf(exceedingPollutants);
    missingPollutants = Set.copyOf(missingPollutants);
  }

  /** An HJ 633-2012 result, published, with no pollutant counted as missing. */
  public AqiResult(
      int aqi,
      AqiCategory category,
      Map<Parameter, Integer> iaqi,
      List<Parameter> primaryPollutants,
      List<Parameter> exceedingPollutants) {
    this(
        aqi,
        category,
        iaqi,
        primaryPollutants,
        exceedingPollutants,
        AqiStandard.HJ_633_2012,
        Set.of(),
        true);
  }

  /** The AQI as published, empty when it is "NA" (HJ 633-2026 5.3.1). */
  public OptionalInt publishedAqi() {
    return aqiPublished ? OptionalInt.of(aqi) : OptionalInt.empty();
  }

  /** The AQI as published: its number, or {@code NA}. */
  public String aqiText() {
    return aqiPublished ? Integer.toString(aqi) : "NA";
  }
}
