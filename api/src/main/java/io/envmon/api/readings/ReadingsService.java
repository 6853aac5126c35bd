package io.envmon.api.readings;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.Parameter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
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

  private final PointService points;
  private final CityRepository cities;
  private final InfluxReader influx;
  private final ReadingLimits limits;
  private final Clock clock;
  private final LatestView view;
  private final AqiStandardSchedule aqiStandards;

  public ReadingsService(
      PointService points,
      CityRepository cities,
      InfluxReader influx,
      ReadingLimits limits,
      Clock clock,
      LatestView view,
      AqiStandardSchedule aqiStandards) {
    this.points = points;
    this.cities = cities;
    this.influx = influx;
    this.limits = limits;
    this.clock = clock;
    this.view = view;
    this.aqiStandards = aqiStandards;
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

  /**
   * Every visible, not decommissioned point's latest reading and what it means, computed from the
   * latest view when it is ready, else from InfluxDB (one query per point).
   */
  public Latest latest(Viewer viewer, Optional<String> cityId, Optional<PointKind> kind) {
    Instant now = clock.instant();
    boolean fromView = view.ready();
    PointService.Visible visible = points.visible(viewer, cityId, kind);
    List<LatestReading> latest = new ArrayList<>();
    for (MonitoringPoint point : visible.points()) {
      if (point.status() != PointStatus.DECOMMISSIONED) {
        ZoneId zone = visible.cityZones().get(point.cityId());
        NightWindow night = visible.nightOf(point.cityId());
        latest.add(
            (fromView ? view.latest(point, now, zone, night) : Optional.<LatestReading>empty())
                .orElseGet(
                    () ->
                        LatestCalculator.latest(
                            point,
                            influxNewestFirst(point, now),
                            now,
                            () -> zone,
                            night,
                            aqiStandards)));
      }
    }
    return new Latest(latest, fromView ? Latest.VIEW : Latest.INFLUXDB);
  }

  /** The answer of {@link #latest} and where it was computed from. */
  public record Latest(List<LatestReading> readings, String source) {
    public static final String VIEW = "view";
    public static final String INFLUXDB = "influxdb";
  }

  /** A point's readings that "latest" at {@code now} looks at, from InfluxDB, newest first. */
  List<RecentReading> influxNewestFirst(MonitoringPoint point, Instant now) {
    return influx
        .query(
            "SELECT * FROM reading WHERE \"point\" = $point AND time >= "
                + InfluxReader.nanos(LatestCalculator.from(point.kind(), now))
                + " AND time <= "
                + InfluxReader.nanos(now)
                + " ORDER BY time DESC LIMIT 2000",
            Map.of("point", point.id()))
        .stream()
        .map(row -> RecentReading.of(row, point.kind()))
        .toList();
  }

  /**
   * An AIR point's hourly means of the AQI pollutants over [from, to), by pollutant and the hour's
   * start in {@code zone} (full local hours): the mean of the valid (flag N) values stamped in the
   * hour — the rule of the hourly AQI in "latest". An hour without a valid value is absent.
   */
  public Map<Parameter, Map<Instant, Double>> hourlyMeans(
      MonitoringPoint point, Instant from, Instant to, ZoneId zone) {
    List<Parameter> parameters = RecentReading.parametersOf(PointKind.AIR);
    StringBuilder fields = new StringBuilder();
    for (Parameter pollutant : AqiStandard.HOURLY_POLLUTANTS) {
      fields.append(fields.isEmpty() ? "" : ", ");
      fields.append('"').append(pollutant.canonicalName()).append("\", \"");
      fields.append(pollutant.canonicalName()).append("_flag\"");
    }
    List<InfluxReader.Row> rows =
        influx.query(
            "SELECT "
                + fields
                + " FROM reading WHERE \"point\" = $point AND time >= "
                + InfluxReader.nanos(from)
                + " AND time < "
                + InfluxReader.nanos(to),
            Map.of("point", point.id()));
    Map<Parameter, Map<Instant, double[]>> sums = new EnumMap<>(Parameter.class);
    for (InfluxReader.Row row : rows) {
      RecentReading reading = RecentReading.of(row, PointKind.AIR);
      Instant hour = reading.time().atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
      for (int i = 0; i < parameters.size(); i++) {
        if (reading.isValid(i) && AqiStandard.HOURLY_POLLUTANTS.contains(parameters.get(i))) {
          double[] sum =
              sums.computeIfAbsent(parameters.get(i), p -> new HashMap<>())
                  .computeIfAbsent(hour, h -> new double[2]);
          sum[0] += reading.value(i);
          sum[1]++;
        }
      }
    }
    Map<Parameter, Map<Instant, Double>> means = new EnumMap<>(Parameter.class);
    sums.forEach(
        (pollutant, hours) -> {
          Map<Instant, Double> byHour = new TreeMap<>();
          hours.forEach((hour, sum) -> byHour.put(hour, sum[0] / sum[1]));
          means.put(pollutant, byHour);
        });
    return means;
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
    for (Parameter parameter : RecentReading.parametersOf(point.kind())) {
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
    for (Parameter parameter : RecentReading.parametersOf(point.kind())) {
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
}
