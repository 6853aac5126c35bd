package io.envmon.jobs.alert;

import io.envmon.domain.reading.Parameter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sums and counts of one point's valid values within one clock hour, by canonical name; the
 * observation instants already counted (a reading delivered twice counts once); the AQI the hour
 * was last rated with ({@code null} before its first rating, -1 when it had nothing to rate).
 */
public record HourlyMeans(
    String cityId,
    Map<String, Double> sums,
    Map<String, Integer> counts,
    Set<Long> observed,
    Integer ratedAqi) {

  public static HourlyMeans empty(String cityId) {
    return new HourlyMeans(cityId, new HashMap<>(), new HashMap<>(), new HashSet<>(), null);
  }

  public boolean counts(long observedAtMillis) {
    return observed.contains(observedAtMillis);
  }

  /** With the valid values of the reading observed at {@code observedAtMillis} added. */
  public HourlyMeans add(long observedAtMillis, Map<Parameter, Double> values) {
    Map<String, Double> newSums = new HashMap<>(sums);
    Map<String, Integer> newCounts = new HashMap<>(counts);
    Set<Long> newObserved = new HashSet<>(observed);
    newObserved.add(observedAtMillis);
    values.forEach(
        (parameter, value) -> {
          newSums.merge(parameter.canonicalName(), value, Double::sum);
          newCounts.merge(parameter.canonicalName(), 1, Integer::sum);
        });
    return new HourlyMeans(cityId, newSums, newCounts, newObserved, ratedAqi);
  }

  public HourlyMeans rated(int aqi) {
    return new HourlyMeans(cityId, sums, counts, observed, aqi);
  }

  public Map<Parameter, Double> means() {
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    sums.forEach(
        (name, sum) ->
            Parameter.byCanonicalName(name).ifPresent(p -> means.put(p, sum / counts.get(name))));
    return means;
  }
}
