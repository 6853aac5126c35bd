package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.List;
import java.util.Map;

/**
 * An AQI with its category, every pollutant's IAQI, the primary pollutants (those with the largest
 * IAQI, only when AQI > 50) and the exceeding pollutants (IAQI > 100), HJ 633-2012 §5.
 */
public record AqiResult(
    int aqi,
    AqiCategory category,
    Map<Parameter, Integer> iaqi,
    List<Parameter> primaryPollutants,
    List<Parameter> exceedingPollutants) {
  public AqiResult {
    iaqi = Map.copyOf(iaqi);
    primaryPollutants = List.copyOf(primaryPollutants);
    exceedingPollutants = List.copyOf(exceedingPollutants);
  }
}
