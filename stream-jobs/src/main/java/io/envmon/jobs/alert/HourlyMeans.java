package io.envmon.jobs.alert;

import io.envmon.domain.reading.Parameter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Sums and counts of one point's valid values of the six AQI pollutants within one clock hour, in
 * the order of {@link #POLLUTANTS}; the observation instants already counted, as milliseconds into
 * the hour, sorted (a reading delivered twice counts once); the AQI the hour was last rated with
 * ({@code null} before its first rating, -1 when it had nothing to rate).
 *
 * <p>Primitive arrays, not maps and sets of boxed values: an hour is kept for the lateness horizon
 * (7 days), so a point holds ~170 of these and every checkpoint writes them all; Flink's POJO
 * serializer writes these fields without Kryo (docs/performance.md "The AIR_QUALITY state").
 */
public record HourlyMeans(
    String cityId, double[] sums, int[] counts, int[] observedMillis, Integer ratedAqi) {

  /** The pollutants an hour is rated by (HJ 633), in the order of {@link #sums}/{@link #counts}. */
  public static final List<Parameter> POLLUTANTS =
      List.of(
          Parameter.SO2, Parameter.NO2, Parameter.PM10, Parameter.CO, Parameter.O3, Parameter.PM25);

  private static final long HOUR_MILLIS = 3_600_000L;

  public static HourlyMeans empty(String cityId) {
    return new HourlyMeans(
        cityId, new double[POLLUTANTS.size()], new int[POLLUTANTS.size()], new int[0], null);
  }

  public boolean counts(long observedAtMillis) {
    return Arrays.binarySearch(observedMillis, intoHour(observedAtMillis)) >= 0;
  }

  /**
   * With the values of the reading observed at {@code observedAtMillis} added; values of other
   * parameters than {@link #POLLUTANTS} are ignored.
   */
  public HourlyMeans add(long observedAtMillis, Map<Parameter, Double> values) {
    int at = intoHour(observedAtMillis);
    int slot = Arrays.binarySearch(observedMillis, at);
    if (slot >= 0) {
      return this;
    }
    int insertAt = -slot - 1;
    int[] newObserved = new int[observedMillis.length + 1];
    System.arraycopy(observedMillis, 0, newObserved, 0, insertAt);
    newObserved[insertAt] = at;
    System.arraycopy(
        observedMillis, insertAt, newObserved, insertAt + 1, observedMillis.length - insertAt);
    double[] newSums = sums.clone();
    int[] newCounts = counts.clone();
    for (int i = 0; i < POLLUTANTS.size(); i++) {
      Double value = values.get(POLLUTANTS.get(i));
      if (value != null) {
        newSums[i] += value;
        newCounts[i]++;
      }
    }
    return new HourlyMeans(cityId, newSums, newCounts, newObserved, ratedAqi);
  }

  public HourlyMeans rated(int aqi) {
    return new HourlyMeans(cityId, sums, counts, observedMillis, aqi);
  }

  public Map<Parameter, Double> means() {
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    for (int i = 0; i < POLLUTANTS.size(); i++) {
      if (counts[i] > 0) {
        means.put(POLLUTANTS.get(i), sums[i] / counts[i]);
      }
    }
    return means;
  }

  private static int intoHour(long observedAtMillis) {
    return (int) Math.floorMod(observedAtMillis, HOUR_MILLIS);
  }
}
