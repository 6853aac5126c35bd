package io.envmon.domain.aqi;

import io.envmon.domain.reading.Parameter;
import java.util.List;
import java.util.Map;

/**
 * A day of a point, city or cluster: each pollutant's statistic (valid or missing with its reason),
 * the values as reported (GB/T 8170), the AQI by {@code standard} (null when no pollutant has a
 * valid statistic), and the pollutants whose reported value exceeds its grade II limit in {@code
 * limits}.
 */
public record DailyAirRating(
    AqiStandard standard,
    AirQualityLimits limits,
    Map<Parameter, DailyStatistic> statistics,
    Map<Parameter, Double> reported,
    AqiResult aqi,
    List<Parameter> exceedances) {

  public DailyAirRating {
    statistics = Map.copyOf(statistics);
    reported = Map.copyOf(reported);
    exceedances = List.copyOf(exceedances);
  }

  /**
   * How many times the limit a reported value exceeds it, (C − limit) / limit (超标倍数, HJ 663), or
   * null when it does not exceed.
   */
  public Double exceedanceMultiple(Parameter pollutant) {
    if (!exceedances.contains(pollutant)) {
      return null;
    }
    double limit = limits.limit(pollutant);
    return (reported.get(pollutant) - limit) / limit;
  }
}
