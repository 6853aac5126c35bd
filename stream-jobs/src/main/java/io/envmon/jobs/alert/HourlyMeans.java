package io.envmon.jobs.alert;

import io.envmon.domain.reading.Parameter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** Sums and counts of one point's valid values within one clock hour, by canonical name. */
public record HourlyMeans(String cityId, Map<String, Double> sums, Map<String, Integer> counts) {

  public static HourlyMeans empty(String cityId) {
    return new HourlyMeans(cityId, new HashMap<>(), new HashMap<>());
  }

  public HourlyMeans add(Parameter parameter, double value) {
    Map<String, Double> newSums = new HashMap<>(sums);
    Map<String, Integer> newCounts = new HashMap<>(counts);
    newSums.merge(parameter.canonicalName(), value, Double::sum);
    newCounts.merge(parameter.canonicalName(), 1, Integer::sum);
    return new HourlyMeans(cityId, newSums, newCounts);
  }

  public Map<Parameter, Double> means() {
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    sums.forEach(
        (name, sum) ->
            Parameter.byCanonicalName(name).ifPresent(p -> means.put(p, sum / counts.get(name))));
    return means;
  }
}
