package io.envmon.api.readings;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.noise.NoiseAssessment;
import io.envmon.domain.noise.NoiseAssessor;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.water.SectionAssessment;
import io.envmon.domain.water.WaterQualityClassifier;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Readings of the points a user may see, from InfluxDB measurement {@code reading} (tags city,
 * point, kind; fields {@code <param>} and {@code <param>_flag}). Only flag N values count as valid;
 * a value stored without a flag is taken as N.
 */
@Singleton
public class ReadingsService {

  /** How far back "latest" looks, per kind: the freshness windows of the sharing ratio. */
  private static final Map<PointKind, Duration> LATEST_WINDOW =
      Map.of(
          PointKind.AIR, Duration.ofHours(2),
          PointKind.WATER, Duration.ofHours(8),
          PointKind.NOISE, Duration.ofHours(2));

  private final PointService points;
  private final CityRepository cities;
  private final InfluxReader influx;
  private final ReadingLimits limits;
  private final Clock clock;

  public ReadingsService(
      PointService points,
      CityRepository cities,
      InfluxReader influx,
      ReadingLimits limits,
      Clock clock) {
    this.points = points;
    this.cities = cities;
    this.influx = influx;
    this.limits = limits;
    this.clock = clock;
  }

  public ReadingSeries series(
      Viewer viewer, String pointId, String from, String to, String intervalText) {
    MonitoringPoint point = points.visiblePoint(viewer, pointId);
    String interval = intervalText == null ? "raw" : intervalText;
    Duration maxRange =
        switch (interval) {
          case "raw" -> limits.maxRawRange();
          case "1h" -> limits.maxHourlyRange();
          case "1d" -> limits.maxDailyRange();
          default -> throw InvalidRequestException.field("interval", "must be raw, 1h or 1d");
        };
    TimeRange range = TimeRange.parse(from, to, clock.instant(), Duration.ofDays(1), maxRange);
    if (interval.equals("raw")) {
      List<InfluxReader.Row> rows = rawRows(point, range.from(), range.to(), limits.maxRows() + 1);
      if (rows.size() > limits.maxRows()) {
        throw InvalidRequestException.field(
            "to",
            "more than "
                + limits.maxRows()
                + " readings in the range; narrow it or ask for interval=1h");
      }
      List<ReadingSeries.RawReading> readings =
          rows.stream().map(row -> rawReading(point, row)).toList();
      return new ReadingSeries(
          point.id(), point.kind().name(), range.from(), range.to(), interval, readings, null);
    }
    return new ReadingSeries(
        point.id(),
        point.kind().name(),
        range.from(),
        range.to(),
        interval,
        null,
        buckets(point, range, interval));
  }

  public List<LatestReading> latest(
      Viewer viewer, Optional<String> cityId, Optional<PointKind> kind) {
    Instant now = clock.instant();
    List<LatestReading> latest = new ArrayList<>();
    for (MonitoringPoint point : points.visiblePoints(viewer, cityId, kind)) {
      if (point.status() != PointStatus.DECOMMISSIONED) {
        latest.add(latestOf(point, now));
      }
    }
    return latest;
  }

  private LatestReading latestOf(MonitoringPoint point, Instant now) {
    Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS);
    Instant windowStart = now.minus(LATEST_WINDOW.get(point.kind()));
    Instant queryStart =
        windowStart.isBefore(hourEnd.minus(Duration.ofHours(2)))
            ? windowStart
            : hourEnd.minus(Duration.ofHours(2));
    // Newest first.
    List<InfluxReader.Row> rows =
        influx.query(
            "SELECT * FROM reading WHERE \"point\" = $point AND time >= "
                + InfluxReader.nanos(queryStart)
                + " AND time <= "
                + InfluxReader.nanos(now)
                + " ORDER BY time DESC LIMIT 2000",
            Map.of("point", point.id()));
    List<ReadingSeries.RawReading> readings =
        rows.stream().map(row -> rawReading(point, row)).toList();
    ReadingSeries.RawReading newest = readings.isEmpty() ? null : readings.get(0);
    LatestReading.Air air = null;
    LatestReading.Water water = null;
    LatestReading.Noise noise = null;
    switch (point.kind()) {
      case AIR -> {
        // The last complete hour; while its data is still missing (just after the hour), the
        // one before.
        air = hourlyAqi(readings, hourEnd.minus(Duration.ofHours(1)), hourEnd);
        if (air == null) {
          air =
              hourlyAqi(
                  readings, hourEnd.minus(Duration.ofHours(2)), hourEnd.minus(Duration.ofHours(1)));
        }
      }
      case WATER -> water = sectionClass(point, validLatest(readings, windowStart));
      case NOISE -> noise = noiseCompliance(point, readings, windowStart);
    }
    return new LatestReading(
        point.id(),
        point.cityId(),
        point.kind().name(),
        point.name(),
        point.status().name(),
        newest == null ? null : newest.time(),
        newest == null ? Map.of() : newest.values(),
        newest == null ? Map.of() : newest.flags(),
        air,
        water,
        noise);
  }

  private static LatestReading.Air hourlyAqi(
      List<ReadingSeries.RawReading> readings, Instant hourStart, Instant hourEnd) {
    Map<Parameter, double[]> sums = new EnumMap<>(Parameter.class);
    for (ReadingSeries.RawReading reading : readings) {
      if (reading.time().isBefore(hourStart) || !reading.time().isBefore(hourEnd)) {
        continue;
      }
      reading
          .values()
          .forEach(
              (name, value) -> {
                if (isValid(reading, name)) {
                  Parameter.byCanonicalName(name)
                      .ifPresent(
                          p -> {
                            double[] sum = sums.computeIfAbsent(p, k -> new double[2]);
                            sum[0] += value;
                            sum[1]++;
                          });
                }
              });
    }
    if (sums.isEmpty()) {
      return null;
    }
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    sums.forEach((p, sum) -> means.put(p, sum[0] / sum[1]));
    AqiResult result = AqiCalculator.hourly(means);
    Map<String, Integer> iaqi = new TreeMap<>();
    result.iaqi().forEach((p, value) -> iaqi.put(p.canonicalName(), value));
    return new LatestReading.Air(
        hourStart,
        result.aqi(),
        result.category().name(),
        result.category().zhName(),
        result.category().level(),
        result.primaryPollutants().stream().map(Parameter::canonicalName).toList(),
        iaqi);
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

  private LatestReading.Noise noiseCompliance(
      MonitoringPoint point, List<ReadingSeries.RawReading> readings, Instant windowStart) {
    for (ReadingSeries.RawReading reading : readings) {
      Double leq = reading.values().get("leq");
      if (leq != null && isValid(reading, "leq") && !reading.time().isBefore(windowStart)) {
        ZoneId zone =
            cities.findById(point.cityId()).map(CityRow::timeZone).map(ZoneId::of).orElseThrow();
        NoiseAssessment assessment =
            NoiseAssessor.assess(point.noiseZone(), leq, reading.time(), zone);
        return new LatestReading.Noise(
            point.noiseZone().code(),
            assessment.period().name(),
            reading.time(),
            assessment.leqDbA(),
            assessment.limitDbA(),
            assessment.exceedanceDbA(),
            assessment.compliant());
      }
    }
    return null;
  }

  /** The newest valid value of each parameter since {@code since} (readings newest first). */
  private static Map<Parameter, Double> validLatest(
      List<ReadingSeries.RawReading> readings, Instant since) {
    Map<Parameter, Double> latest = new EnumMap<>(Parameter.class);
    for (ReadingSeries.RawReading reading : readings) {
      if (reading.time().isBefore(since)) {
        continue;
      }
      reading
          .values()
          .forEach(
              (name, value) -> {
                if (isValid(reading, name)) {
                  Parameter.byCanonicalName(name).ifPresent(p -> latest.putIfAbsent(p, value));
                }
              });
    }
    return latest;
  }

  private static boolean isValid(ReadingSeries.RawReading reading, String parameter) {
    return "N".equals(reading.flags().getOrDefault(parameter, "N"));
  }

  private List<InfluxReader.Row> rawRows(
      MonitoringPoint point, Instant from, Instant to, int limit) {
    return influx.query(
        "SELECT * FROM reading WHERE \"point\" = $point AND time >= "
            + InfluxReader.nanos(from)
            + " AND time < "
            + InfluxReader.nanos(to)
            + " ORDER BY time ASC LIMIT "
            + limit,
        Map.of("point", point.id()));
  }

  private static ReadingSeries.RawReading rawReading(MonitoringPoint point, InfluxReader.Row row) {
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, String> flags = new LinkedHashMap<>();
    for (Parameter parameter : parametersOf(point.kind())) {
      Object value = row.columns().get(parameter.canonicalName());
      if (value instanceof Number number) {
        values.put(parameter.canonicalName(), number.doubleValue());
        Object flag = row.columns().get(parameter.canonicalName() + "_flag");
        flags.put(parameter.canonicalName(), flag == null ? "N" : flag.toString());
      }
    }
    Object source = row.columns().get("source");
    return new ReadingSeries.RawReading(
        row.time(), values, flags, source == null ? null : source.toString());
  }

  private List<ReadingSeries.Bucket> buckets(
      MonitoringPoint point, TimeRange range, String interval) {
    String zone = cities.findById(point.cityId()).map(CityRow::timeZone).orElse("UTC");
    Map<Instant, Map<String, ReadingSeries.Stats>> buckets = new TreeMap<>();
    for (Parameter parameter : parametersOf(point.kind())) {
      String field = parameter.canonicalName();
      List<InfluxReader.Row> rows =
          influx.query(
              "SELECT mean(\""
                  + field
                  + "\") AS mean, min(\""
                  + field
                  + "\") AS min, max(\""
                  + field
                  + "\") AS max, count(\""
                  + field
                  + "\") AS count FROM reading WHERE \"point\" = $point AND \""
                  + field
                  + "_flag\" = 'N' AND time >= "
                  + InfluxReader.nanos(range.from())
                  + " AND time < "
                  + InfluxReader.nanos(range.to())
                  + " GROUP BY time("
                  + interval
                  + ") fill(none) tz('"
                  + zone
                  + "')",
              Map.of("point", point.id()));
      for (InfluxReader.Row row : rows) {
        if (!(row.columns().get("count") instanceof Number count) || count.longValue() == 0) {
          continue;
        }
        buckets
            .computeIfAbsent(row.time(), t -> new TreeMap<>())
            .put(
                field,
                new ReadingSeries.Stats(
                    ((Number) row.columns().get("mean")).doubleValue(),
                    ((Number) row.columns().get("min")).doubleValue(),
                    ((Number) row.columns().get("max")).doubleValue(),
                    count.longValue()));
      }
    }
    return buckets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .map(e -> new ReadingSeries.Bucket(e.getKey(), e.getValue()))
        .toList();
  }

  private static List<Parameter> parametersOf(PointKind kind) {
    return java.util.Arrays.stream(Parameter.values()).filter(p -> p.kind() == kind).toList();
  }
}
