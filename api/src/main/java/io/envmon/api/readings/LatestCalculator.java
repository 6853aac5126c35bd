package io.envmon.api.readings;

import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.noise.NoiseAssessment;
import io.envmon.domain.noise.NoiseAssessor;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.water.SectionAssessment;
import io.envmon.domain.water.WaterQualityClassifier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What "latest" says of one point, from its recent readings newest first — the same answer whether
 * they come from the latest view or from InfluxDB (docs/api.md "Latest readings").
 */
final class LatestCalculator {

  /** How far back "latest" looks, per kind: the freshness windows of the sharing ratio. */
  private static final Map<PointKind, Duration> WINDOW =
      Map.of(
          PointKind.AIR, Duration.ofHours(2),
          PointKind.WATER, Duration.ofHours(8),
          PointKind.NOISE, Duration.ofHours(2));

  /** The longest time back that any answer of a kind looks at, whatever "now" is. */
  static final Map<PointKind, Duration> RETAINED =
      Map.of(
          PointKind.AIR, Duration.ofHours(3),
          PointKind.WATER, Duration.ofHours(8),
          PointKind.NOISE, Duration.ofHours(3));

  private LatestCalculator() {}

  /**
   * The readings of [from, now] that the answer at {@code now} depends on: the freshness window,
   * and for the hourly AQI the two hours before the current one.
   */
  static Instant from(PointKind kind, Instant now) {
    Instant windowStart = now.minus(WINDOW.get(kind));
    Instant twoHoursBack = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    return windowStart.isBefore(twoHoursBack) ? windowStart : twoHoursBack;
  }

  /**
   * Until when (epoch ms, exclusive) an answer computed at {@code now} stays the answer if no
   * reading is added: the next full hour (the hourly AQI; the AIR and NOISE ranges start two hours
   * before it), and the moment a reading the answer rests on leaves the freshness window — for
   * WATER the oldest reading of the 8 h range (each item's newest valid value), for NOISE the Leq
   * shown. Readings stamped after {@code now} are the caller's to watch.
   */
  static long holdsUntil(
      PointKind kind, List<RecentReading> newestFirst, LatestReading latest, Instant now) {
    long until = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).toEpochMilli();
    long window = WINDOW.get(kind).toMillis();
    if (kind == PointKind.WATER && !newestFirst.isEmpty()) {
      // included while time >= now - window, i.e. until now > time + window
      until = Math.min(until, newestFirst.get(newestFirst.size() - 1).timeMillis() + window + 1);
    }
    if (kind == PointKind.NOISE && latest.noise() != null) {
      until = Math.min(until, latest.noise().measuredAt().toEpochMilli() + window + 1);
    }
    return until;
  }

  /**
   * @param newestFirst the point's readings (of its kind) of [{@link #from}, now], newest first (in
   *     that order: the calculation stops at the first one too old)
   * @param cityZone the time zone of the point's city (asked only for a NOISE point with data)
   */
  static LatestReading latest(
      MonitoringPoint point,
      List<RecentReading> newestFirst,
      Instant now,
      Supplier<ZoneId> cityZone) {
    return latest(point, newestFirst, now, cityZone, AqiStandardSchedule.DEFAULT);
  }

  /**
   * @param newestFirst the point's readings (of its kind) of [{@link #from}, now], newest first (in
   *     that order: the calculation stops at the first one too old)
   * @param cityZone the time zone of the point's city (asked only for a NOISE point with data)
   * @param aqiStandards which AQI standard rates an hour (the one in force at its start)
   */
  static LatestReading latest(
      MonitoringPoint point,
      List<RecentReading> newestFirst,
      Instant now,
      Supplier<ZoneId> cityZone,
      AqiStandardSchedule aqiStandards) {
    return latest(point, newestFirst, now, cityZone, NightWindow.DEFAULT, aqiStandards);
  }

  /**
   * @param newestFirst the point's readings (of its kind) of [{@link #from}, now], newest first (in
   *     that order: the calculation stops at the first one too old)
   * @param cityZone the time zone of the point's city (asked only for a NOISE point with data)
   * @param night the city's noise night window (22:00-06:00 unless the city moved it)
   * @param aqiStandards which AQI standard rates an hour (the one in force at its start)
   */
  static LatestReading latest(
      MonitoringPoint point,
      List<RecentReading> newestFirst,
      Instant now,
      Supplier<ZoneId> cityZone,
      NightWindow night,
      AqiStandardSchedule aqiStandards) {
    Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS);
    Instant windowStart = now.minus(WINDOW.get(point.kind()));
    RecentReading newest = newestFirst.isEmpty() ? null : newestFirst.get(0);
    LatestReading.Air air = null;
    LatestReading.Water water = null;
    LatestReading.Noise noise = null;
    switch (point.kind()) {
      case AIR -> {
        // The last complete hour; while its data is still missing (just after the hour), the
        // one before.
        air = hourlyAqi(newestFirst, hourEnd.minus(Duration.ofHours(1)), hourEnd, aqiStandards);
        if (air == null) {
          air =
              hourlyAqi(
                  newestFirst,
                  hourEnd.minus(Duration.ofHours(2)),
                  hourEnd.minus(Duration.ofHours(1)),
                  aqiStandards);
        }
      }
      case WATER -> water = sectionClass(point, validLatest(newestFirst, windowStart));
      case NOISE -> noise = noiseCompliance(point, newestFirst, windowStart, cityZone, night);
    }
    return new LatestReading(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.status().name(),
        newest == null ? null : newest.time(),
        newest == null ? Map.of() : newest.valuesByName(),
        newest == null ? Map.of() : newest.flagsByName(),
        air,
        water,
        noise);
  }

  private static LatestReading.Air hourlyAqi(
      List<RecentReading> readings,
      Instant hourStart,
      Instant hourEnd,
      AqiStandardSchedule aqiStandards) {
    long start = hourStart.toEpochMilli();
    long end = hourEnd.toEpochMilli();
    List<Parameter> parameters = RecentReading.parametersOf(PointKind.AIR);
    double[] sums = new double[parameters.size()];
    int[] counts = new int[parameters.size()];
    boolean any = false;
    for (RecentReading reading : readings) {
      if (reading.timeMillis() >= end) {
        continue;
      }
      if (reading.timeMillis() < start) {
        break; // newest first: the rest is older
      }
      for (int i = 0; i < sums.length; i++) {
        // Only the AQI pollutants: meteorological factors (air_temp, rh, …) are never rated.
        if (reading.isValid(i) && AqiStandard.HOURLY_POLLUTANTS.contains(parameters.get(i))) {
          sums[i] += reading.value(i);
          counts[i]++;
          any = true;
        }
      }
    }
    if (!any) {
      return null;
    }
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    for (int i = 0; i < sums.length; i++) {
      if (counts[i] > 0) {
        means.put(parameters.get(i), sums[i] / counts[i]);
      }
    }
    AqiResult result = AqiCalculator.hourly(aqiStandards.at(hourStart), means);
    Map<String, Integer> iaqi = new TreeMap<>();
    result.iaqi().forEach((p, value) -> iaqi.put(p.canonicalName(), value));
    return new LatestReading.Air(
        hourStart,
        result.aqi(),
        result.category().name(),
        result.category().zhName(),
        result.category().level(),
        result.primaryPollutants().stream().map(Parameter::canonicalName).toList(),
        iaqi,
        result.standard().code(),
        result.aqiPublished(),
        result.missingPollutants().stream().sorted().map(Parameter::canonicalName).toList());
  }

  private static LatestReading.Water sectionClass(
      MonitoringPoint point, Map<Parameter, Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    SectionAssessment assessment;
    try {
      assessment = WaterQualityClassifier.assess(values, point.water().waterBody());
    } catch (IllegalArgumentException noClassifiedItem) {
      return null;
    }
    var target = point.water().targetClass();
    return new LatestReading.Water(
        assessment.sectionClass().label(),
        target.label(),
        assessment.compliesWith(target),
        assessment.determiningItems().stream().map(Parameter::canonicalName).toList(),
        assessment.itemsWorseThan(target).stream().map(Parameter::canonicalName).toList());
  }

  private static LatestReading.Noise noiseCompliance(
      MonitoringPoint point,
      List<RecentReading> readings,
      Instant windowStart,
      Supplier<ZoneId> cityZone,
      NightWindow night) {
    int leq = RecentReading.parametersOf(PointKind.NOISE).indexOf(Parameter.LEQ);
    for (RecentReading reading : readings) {
      if (reading.isValid(leq) && reading.timeMillis() >= windowStart.toEpochMilli()) {
        NoiseAssessment assessment =
            NoiseAssessor.assess(
                point.noiseZone(), reading.value(leq), reading.time(), cityZone.get(), night);
        return new LatestReading.Noise(
            point.noiseZone().code(),
            assessment.period().name(),
            reading.time(),
            assessment.leqDbA(),
            assessment.limitDbA(),
            assessment.exceedanceDbA(),
            assessment.compliant(),
            night.toString());
      }
    }
    return null;
  }

  /** The newest valid value of each parameter since {@code since} (readings newest first). */
  private static Map<Parameter, Double> validLatest(List<RecentReading> readings, Instant since) {
    Map<Parameter, Double> latest = new EnumMap<>(Parameter.class);
    long sinceMillis = since.toEpochMilli();
    for (RecentReading reading : readings) {
      if (reading.timeMillis() < sinceMillis) {
        break; // newest first: the rest is older
      }
      List<Parameter> parameters = RecentReading.parametersOf(reading.kind());
      for (int i = 0; i < reading.size(); i++) {
        if (reading.isValid(i)) {
          latest.putIfAbsent(parameters.get(i), reading.value(i));
        }
      }
    }
    return latest;
  }
}
