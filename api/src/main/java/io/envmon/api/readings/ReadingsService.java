package io.envmon.api.readings;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.review.ReviewService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.review.PointReview;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
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
 * a value stored without a flag is taken as N. Every read of readings goes through {@link
 * #readingRows} (rows) or {@link #buckets} (aggregates), which leave out the values the point's
 * review invalidated unless the raw view is asked for; "latest" from the view applies the same
 * review ({@link PointReadings#latest}).
 */
@Singleton
public class ReadingsService {

  /** The views of a series: with invalidated values left out, or every stored value. */
  public static final String REVIEWED = "reviewed";

  public static final String RAW = "raw";

  /** Where a series was computed from: the raw readings, or the stored hourly aggregates. */
  public static final String SOURCE_RAW = "raw";

  public static final String SOURCE_AGGREGATES = "aggregates";

  private final PointService points;
  private final CityRepository cities;
  private final InfluxReader influx;
  private final ReadingLimits limits;
  private final Clock clock;
  private final LatestView view;
  private final AqiStandardSchedule aqiStandards;
  private final ReviewService reviews;
  private final RetentionConfiguration retention;
  private final HourlyRollup rollup;

  public ReadingsService(
      PointService points,
      CityRepository cities,
      InfluxReader influx,
      ReadingLimits limits,
      Clock clock,
      LatestView view,
      AqiStandardSchedule aqiStandards,
      ReviewService reviews,
      RetentionConfiguration retention,
      HourlyRollup rollup) {
    this.points = points;
    this.cities = cities;
    this.influx = influx;
    this.limits = limits;
    this.clock = clock;
    this.view = view;
    this.aqiStandards = aqiStandards;
    this.reviews = reviews;
    this.retention = retention;
    this.rollup = rollup;
  }

  /**
   * @param viewText {@code reviewed} (the default) or {@code raw}: only the users of the point's
   *     city and the coordinator see raw values (403 for others)
   */
  public ReadingSeries series(
      Viewer viewer, String pointId, String from, String to, String intervalText, String viewText) {
    MonitoringPoint point = points.visiblePoint(viewer, pointId);
    String view = viewText == null ? REVIEWED : viewText;
    if (!view.equals(REVIEWED) && !view.equals(RAW)) {
      throw InvalidRequestException.field("view", "must be reviewed or raw");
    }
    if (view.equals(RAW) && !ReviewService.ownsData(viewer, point)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "the raw values of "
              + pointId
              + " are its city's ("
              + point.cityId()
              + "); ask for view=reviewed");
    }
    PointReview review = reviews.of(point.id());
    PointReview applied = view.equals(RAW) ? PointReview.NONE : review;
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
      requireRawKept(range);
      List<InfluxReader.Row> rows =
          readingRows(
              point,
              "*",
              range.from(),
              range.to(),
              " ORDER BY time ASC LIMIT " + (limits.maxRows() + 1),
              applied);
      if (rows.size() > limits.maxRows()) {
        throw InvalidRequestException.field(
            "to",
            "more than "
                + limits.maxRows()
                + " readings in the range; narrow it or ask for interval=1h");
      }
      List<ReadingSeries.RawReading> readings =
          rows.stream()
              .map(row -> rawReading(point, row, view.equals(RAW) ? review : PointReview.NONE))
              .toList();
      return new ReadingSeries(
          point.id(),
          point.kind().name(),
          range.from(),
          range.to(),
          interval,
          view,
          readings,
          null,
          SOURCE_RAW);
    }
    BucketSeries buckets = buckets(point, range, interval, applied);
    return new ReadingSeries(
        point.id(),
        point.kind().name(),
        range.from(),
        range.to(),
        interval,
        view,
        null,
        buckets.buckets(),
        buckets.source());
  }

  /**
   * A request for raw readings ({@code interval=raw}) from before the raw retention is refused with
   * the reason (400) rather than answered with the rows that are left.
   */
  public void requireRawKept(TimeRange range) {
    if (range.from().isBefore(clock.instant().minus(retention.raw()))) {
      throw InvalidRequestException.field(
          "from",
          "raw readings are kept "
              + retention.raw().toHours()
              + " hours; ask for interval=1h or 1d, kept indefinitely");
    }
  }

  /**
   * Every visible, not decommissioned point's latest reading and what it means, computed from the
   * latest view when it is ready, else from InfluxDB (one query per point).
   */
  public Latest latest(Viewer viewer, Optional<String> cityId, Optional<PointKind> kind) {
    Instant now = clock.instant();
    boolean fromView = view.ready();
    ReviewService.Reviews review = reviews.current();
    PointService.Visible visible = points.visible(viewer, cityId, kind);
    List<LatestReading> latest = new ArrayList<>();
    for (MonitoringPoint point : visible.points()) {
      if (point.status() != PointStatus.DECOMMISSIONED) {
        ZoneId zone = visible.cityZones().get(point.cityId());
        NightWindow night = visible.nightOf(point.cityId());
        latest.add(
            (fromView
                    ? view.latest(point, now, zone, night, review.of(point.id()))
                    : Optional.<LatestReading>empty())
                .orElseGet(
                    () ->
                        LatestCalculator.latest(
                            point,
                            influxNewestFirst(point, now, review.of(point.id())),
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
    return influxNewestFirst(point, now, reviews.of(point.id()));
  }

  private List<RecentReading> influxNewestFirst(
      MonitoringPoint point, Instant now, PointReview review) {
    return readingRows(
            point,
            "*",
            LatestCalculator.from(point.kind(), now),
            now.plusNanos(1),
            " ORDER BY time DESC LIMIT 2000",
            review)
        .stream()
        .map(row -> RecentReading.of(row, point.kind()))
        .toList();
  }

  /**
   * A point's newest reading with a valid (flag N) value observed in [{@code from}, {@code at}]: by
   * the reviewed data (a value a review mark invalidated is not valid) and by the raw data. At most
   * {@code maxRows} readings are looked at, newest first ({@code searchedAll} false when that was
   * not all of them). When {@code at} is older than the raw readings kept ({@link
   * RetentionConfiguration#hoursOnlyBefore}) it is the start of the newest stored hour with a valid
   * value that ends by {@code at} ({@code hourly}): the reading's minute is not kept.
   */
  public LastValid lastValid(MonitoringPoint point, Instant from, Instant at) {
    PointReview review = reviews.of(point.id());
    if (at.isBefore(retention.hoursOnlyBefore(clock.instant()))) {
      List<Parameter> parameters = RecentReading.parametersOf(point.kind());
      // hours wholly before at from the stored ones, the part of at's hour from raw (if kept)
      TimeRange range = new TimeRange(from, at.plusNanos(1));
      Instant reviewed = newestHour(fromStoredHours(point, parameters, range, review));
      Instant raw = newestHour(fromStoredHours(point, parameters, range, PointReview.NONE));
      return new LastValid(reviewed, raw, true, true);
    }
    List<InfluxReader.Row> rows =
        influx.query(
            "SELECT * FROM "
                + ReadingStore.RAW_READINGS
                + " WHERE \"point\" = $point AND time >= "
                + InfluxReader.nanos(from)
                + " AND time <= "
                + InfluxReader.nanos(at)
                + " ORDER BY time DESC LIMIT "
                + limits.maxRows(),
            Map.of("point", point.id()));
    List<Parameter> parameters = RecentReading.parametersOf(point.kind());
    Instant raw = null;
    for (InfluxReader.Row row : rows) {
      RecentReading reading = RecentReading.of(row, point.kind());
      for (int i = 0; i < parameters.size(); i++) {
        if (reading.isValid(i)) {
          raw = raw == null ? reading.time() : raw;
          if (!review.invalidates(parameters.get(i), reading.time())) {
            return new LastValid(reading.time(), raw, true, false);
          }
        }
      }
    }
    return new LastValid(null, raw, rows.size() < limits.maxRows(), false);
  }

  private static Instant newestHour(Map<Instant, Map<String, ReadingSeries.Stats>> hours) {
    return hours.keySet().stream().max(Comparator.naturalOrder()).orElse(null);
  }

  /**
   * The newest valid observation by the reviewed and by the raw data; null: none. {@code hourly}:
   * the times are the starts of stored hours (the raw readings are no longer kept).
   */
  public record LastValid(Instant reviewed, Instant raw, boolean searchedAll, boolean hourly) {}

  /**
   * An AIR point's hourly means of the AQI pollutants over [from, to), by pollutant and the hour's
   * start in {@code zone} (full local hours): the mean of the valid (flag N) values stamped in the
   * hour — the rule of the hourly AQI in "latest". An hour without a valid value is absent. The
   * values the point's review invalidated are left out. Hours older than the raw readings kept
   * ({@link RetentionConfiguration#hoursOnlyBefore}) are the stored hours' means (UTC hours: the
   * same as local ones in a zone of whole hours).
   */
  public Map<Parameter, Map<Instant, Double>> hourlyMeans(
      MonitoringPoint point, Instant from, Instant to, ZoneId zone) {
    Instant split = rawSplit(from, to);
    Map<Parameter, Map<Instant, Double>> means = new EnumMap<>(Parameter.class);
    if (from.isBefore(split)) {
      fromStoredHours(
              point,
              List.copyOf(AqiStandard.HOURLY_POLLUTANTS),
              new TimeRange(from, split),
              reviews.of(point.id()))
          .forEach(
              (hour, values) ->
                  values.forEach(
                      (field, stats) ->
                          means
                              .computeIfAbsent(
                                  Parameter.byCanonicalName(field).orElseThrow(),
                                  p -> new TreeMap<>())
                              .put(hour, stats.mean())));
    }
    if (!split.isBefore(to)) {
      return means;
    }
    List<Parameter> parameters = RecentReading.parametersOf(PointKind.AIR);
    StringBuilder fields = new StringBuilder();
    for (Parameter pollutant : AqiStandard.HOURLY_POLLUTANTS) {
      fields.append(fields.isEmpty() ? "" : ", ");
      fields.append('"').append(pollutant.canonicalName()).append("\", \"");
      fields.append(pollutant.canonicalName()).append("_flag\"");
    }
    List<InfluxReader.Row> rows =
        readingRows(point, fields.toString(), split, to, "", reviews.of(point.id()));
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
    sums.forEach(
        (pollutant, hours) -> {
          Map<Instant, Double> byHour = means.computeIfAbsent(pollutant, p -> new TreeMap<>());
          hours.forEach((hour, sum) -> byHour.put(hour, sum[0] / sum[1]));
        });
    return means;
  }

  /**
   * Where a report's range [from, to) turns from the stored hours to the raw readings: the whole
   * hour from which every reading is among the raw ones, within the range.
   */
  private Instant rawSplit(Instant from, Instant to) {
    Instant kept = retention.hoursOnlyBefore(clock.instant());
    Instant hour = kept.truncatedTo(ChronoUnit.HOURS);
    Instant split = hour.equals(kept) ? hour : hour.plus(Duration.ofHours(1));
    return split.isBefore(from) ? from : split.isAfter(to) ? to : split;
  }

  /**
   * One stored reading's valid values, by parameter; or, older than the raw readings kept, one
   * stored hour's means with the number of readings each stands for ({@code counts}; null: one).
   */
  public record ValidValues(
      Instant time, Map<Parameter, Double> values, Map<Parameter, Long> counts) {

    /** How many readings the value of {@code parameter} stands for. */
    public long count(Parameter parameter) {
      return counts == null ? 1 : counts.getOrDefault(parameter, 1L);
    }
  }

  /**
   * The point's valid (flag N) values in [from, to), oldest first, without those its review
   * invalidated; a reading without any valid value is left out (the reports' data). The part older
   * than the raw readings kept ({@link RetentionConfiguration#hoursOnlyBefore}) comes from the
   * stored hours: one {@link ValidValues} per hour, its means and counts.
   */
  public List<ValidValues> validValues(MonitoringPoint point, Instant from, Instant to) {
    List<Parameter> parameters = RecentReading.parametersOf(point.kind());
    List<ValidValues> valid = new ArrayList<>();
    Instant split = rawSplit(from, to);
    if (from.isBefore(split)) {
      fromStoredHours(point, parameters, new TimeRange(from, split), reviews.of(point.id()))
          .forEach(
              (hour, stats) -> {
                Map<Parameter, Double> values = new EnumMap<>(Parameter.class);
                Map<Parameter, Long> counts = new EnumMap<>(Parameter.class);
                stats.forEach(
                    (field, stat) -> {
                      Parameter parameter = Parameter.byCanonicalName(field).orElseThrow();
                      values.put(parameter, stat.mean());
                      counts.put(parameter, stat.count());
                    });
                valid.add(new ValidValues(hour, values, counts));
              });
    }
    if (!split.isBefore(to)) {
      return valid;
    }
    for (InfluxReader.Row row :
        readingRows(point, "*", split, to, " ORDER BY time ASC", reviews.of(point.id()))) {
      RecentReading reading = RecentReading.of(row, point.kind());
      Map<Parameter, Double> values = new EnumMap<>(Parameter.class);
      for (int i = 0; i < parameters.size(); i++) {
        if (reading.isValid(i)) {
          values.put(parameters.get(i), reading.value(i));
        }
      }
      if (!values.isEmpty()) {
        valid.add(new ValidValues(reading.time(), values, null));
      }
    }
    return valid;
  }

  /**
   * The point's rows of [from, to) ({@code SELECT select ... tail}) without the values {@code
   * review} invalidated; a row left without any value of its kind is left out.
   */
  private List<InfluxReader.Row> readingRows(
      MonitoringPoint point,
      String select,
      Instant from,
      Instant to,
      String tail,
      PointReview review) {
    return withoutInvalidated(point, storedRows(point, select, from, to, tail), review);
  }

  private List<InfluxReader.Row> storedRows(
      MonitoringPoint point, String select, Instant from, Instant to, String tail) {
    return influx.query(
        "SELECT "
            + select
            + " FROM "
            + ReadingStore.RAW_READINGS
            + " WHERE \"point\" = $point AND time >= "
            + InfluxReader.nanos(from)
            + " AND time < "
            + InfluxReader.nanos(to)
            + tail,
        Map.of("point", point.id()));
  }

  /**
   * One page of a point's rows in [from, to), oldest first, at most {@code limit} stored rows, for
   * exports that walk a long range page by page in constant memory.
   *
   * @param review the marks to apply: the point's review (reviewed view) or {@link
   *     PointReview#NONE} (raw view)
   */
  public RowPage rowPage(
      MonitoringPoint point, Instant from, Instant to, int limit, PointReview review) {
    List<InfluxReader.Row> stored =
        storedRows(point, "*", from, to, " ORDER BY time ASC LIMIT " + limit);
    Optional<Instant> next =
        stored.size() < limit
            ? Optional.empty()
            // rows are read at millisecond precision: the next page starts after the last one's
            : Optional.of(stored.get(stored.size() - 1).time().plusMillis(1));
    return new RowPage(withoutInvalidated(point, stored, review), next);
  }

  /** A page of rows and where the next one starts; empty at the end of the range. */
  public record RowPage(List<InfluxReader.Row> rows, Optional<Instant> next) {}

  private static List<InfluxReader.Row> withoutInvalidated(
      MonitoringPoint point, List<InfluxReader.Row> rows, PointReview review) {
    if (review.isEmpty()) {
      return rows;
    }
    List<InfluxReader.Row> kept = new ArrayList<>(rows.size());
    for (InfluxReader.Row row : rows) {
      Map<String, Object> columns = null;
      boolean anyLeft = false;
      for (Parameter parameter : RecentReading.parametersOf(point.kind())) {
        String name = parameter.canonicalName();
        if (!row.columns().containsKey(name)) {
          continue;
        }
        if (review.invalidates(parameter, row.time())) {
          columns = columns == null ? new HashMap<>(row.columns()) : columns;
          columns.remove(name);
          columns.remove(name + "_flag");
        } else {
          anyLeft = true;
        }
      }
      if (columns == null) {
        kept.add(row);
      } else if (anyLeft) {
        kept.add(new InfluxReader.Row(row.tags(), columns));
      }
    }
    return kept;
  }

  /** A stored row as the series answers it, each value a mark covers with that mark. */
  public static ReadingSeries.RawReading rawReading(
      MonitoringPoint point, InfluxReader.Row row, PointReview review) {
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, String> flags = new LinkedHashMap<>();
    Map<String, ReadingSeries.Review> reviewed = new LinkedHashMap<>();
    for (Parameter parameter : RecentReading.parametersOf(point.kind())) {
      Object value = row.columns().get(parameter.canonicalName());
      if (value instanceof Number number) {
        values.put(parameter.canonicalName(), number.doubleValue());
        Object flag = row.columns().get(parameter.canonicalName() + "_flag");
        flags.put(parameter.canonicalName(), flag == null ? "N" : flag.toString());
        review
            .inForce(parameter, row.time())
            .ifPresent(
                mark ->
                    reviewed.put(
                        parameter.canonicalName(),
                        new ReadingSeries.Review(
                            mark.id(),
                            mark.verdict().name(),
                            mark.reason().name(),
                            mark.note(),
                            mark.createdBy(),
                            mark.createdAt())));
      }
    }
    Object source = row.columns().get("source");
    return new ReadingSeries.RawReading(
        row.time(),
        values,
        flags,
        source == null ? null : source.toString(),
        reviewed.isEmpty() ? null : reviewed);
  }

  /** Buckets of a series and where they were computed from ({@link #SOURCE_AGGREGATES} ...). */
  public record BucketSeries(List<ReadingSeries.Bucket> buckets, String source) {}

  /**
   * Hourly or daily buckets of the valid values: from the stored hourly aggregates when the range
   * starts before the raw readings' retention or is longer than {@code aggregates-beyond}, else
   * from the raw readings. Where {@code review} invalidated a parameter's values, its buckets are
   * made of the ranges between (InfluxQL cannot leave out several time ranges in one query; its
   * buckets align to the hour or the city's day whatever the range).
   */
  public BucketSeries buckets(
      MonitoringPoint point, TimeRange range, String interval, PointReview review) {
    return buckets(point, RecentReading.parametersOf(point.kind()), range, interval, review);
  }

  /**
   * The hourly buckets of one parameter's valid values over [from, to), without those the point's
   * review invalidated (the SensorThings API's Observations).
   */
  public List<ReadingSeries.Bucket> reviewedHourly(
      MonitoringPoint point, Parameter parameter, Instant from, Instant to) {
    return buckets(point, List.of(parameter), new TimeRange(from, to), "1h", reviews.of(point.id()))
        .buckets();
  }

  private BucketSeries buckets(
      MonitoringPoint point,
      List<Parameter> parameters,
      TimeRange range,
      String interval,
      PointReview review) {
    ZoneId zone = ZoneId.of(cities.findById(point.cityId()).map(CityRow::timeZone).orElse("UTC"));
    Instant now = clock.instant();
    boolean aggregates =
        range.from().isBefore(retention.hoursOnlyBefore(now))
            || Duration.between(range.from(), range.to()).compareTo(retention.aggregatesBeyond())
                > 0;
    Map<Instant, Map<String, ReadingSeries.Stats>> buckets = new TreeMap<>();
    if (aggregates) {
      Map<Instant, Map<String, ReadingSeries.Stats>> hours =
          fromStoredHours(point, parameters, range, review);
      hours.forEach(
          (hour, values) -> {
            Instant start =
                interval.equals("1h")
                    ? hour
                    : hour.atZone(zone).truncatedTo(ChronoUnit.DAYS).toInstant();
            values.forEach(
                (field, stats) ->
                    buckets
                        .computeIfAbsent(start, t -> new TreeMap<>())
                        .merge(field, stats, ReadingsService::combined));
          });
    } else {
      for (Parameter parameter : parameters) {
        String field = parameter.canonicalName();
        for (PointReview.Range valid : review.validWithin(parameter, range.from(), range.to())) {
          addBuckets(buckets, point, field, valid, interval, zone.getId());
        }
      }
    }
    return new BucketSeries(
        buckets.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
            .map(e -> new ReadingSeries.Bucket(e.getKey(), e.getValue()))
            .toList(),
        aggregates ? SOURCE_AGGREGATES : SOURCE_RAW);
  }

  /**
   * Hourly buckets of [from, to): each hour that lies wholly in a range the review leaves valid and
   * before the rollup's last sweep from the stored aggregates; the parts of hours at the edges of
   * the valid ranges (a mark's start or end, the range's) and the hours since the last sweep from
   * the raw readings. Raw readings that have expired leave such parts out.
   */
  private Map<Instant, Map<String, ReadingSeries.Stats>> fromStoredHours(
      MonitoringPoint point, List<Parameter> parameters, TimeRange range, PointReview review) {
    Instant stored =
        rollup
            .sweptTo()
            .map(swept -> swept.truncatedTo(ChronoUnit.HOURS))
            .filter(swept -> swept.isAfter(range.from()))
            .orElse(range.from());
    Map<Instant, Map<String, ReadingSeries.Stats>> storedHours =
        stored.isAfter(range.from())
            ? storedHours(point, range.from(), min(stored, range.to()))
            : Map.of();
    Map<Instant, Map<String, ReadingSeries.Stats>> hours = new TreeMap<>();
    for (Parameter parameter : parameters) {
      String field = parameter.canonicalName();
      for (PointReview.Range valid : review.validWithin(parameter, range.from(), range.to())) {
        Instant wholeFrom = ceilHour(valid.start());
        Instant wholeTo = min(valid.end(), stored).truncatedTo(ChronoUnit.HOURS);
        if (!wholeFrom.isBefore(wholeTo)) {
          addBuckets(hours, point, field, valid, "1h", "UTC");
          continue;
        }
        if (valid.start().isBefore(wholeFrom)) {
          addBuckets(
              hours, point, field, new PointReview.Range(valid.start(), wholeFrom), "1h", "UTC");
        }
        storedHours.forEach(
            (hour, values) -> {
              ReadingSeries.Stats stats = values.get(field);
              if (stats != null && !hour.isBefore(wholeFrom) && hour.isBefore(wholeTo)) {
                hours
                    .computeIfAbsent(hour, t -> new TreeMap<>())
                    .merge(field, stats, ReadingsService::combined);
              }
            });
        if (wholeTo.isBefore(valid.end())) {
          addBuckets(hours, point, field, new PointReview.Range(wholeTo, valid.end()), "1h", "UTC");
        }
      }
    }
    return hours;
  }

  /**
   * The point's stored hourly aggregates of the hours starting in [from, to), by hour: the rollup's
   * and an import's hours of readings older than the retention, combined.
   */
  private Map<Instant, Map<String, ReadingSeries.Stats>> storedHours(
      MonitoringPoint point, Instant from, Instant to) {
    Map<Instant, Map<String, ReadingSeries.Stats>> hours = new TreeMap<>();
    for (InfluxReader.Row row :
        influx.query(
            "SELECT * FROM \""
                + ReadingStore.FOREVER_POLICY
                + "\".\""
                + ReadingStore.HOURLY
                + "\" WHERE \"point\" = $point AND time >= "
                + InfluxReader.nanos(from)
                + " AND time < "
                + InfluxReader.nanos(to),
            Map.of("point", point.id()))) {
      for (Parameter parameter : RecentReading.parametersOf(point.kind())) {
        String field = parameter.canonicalName();
        if (row.columns().get(field + "_count") instanceof Number count && count.longValue() > 0) {
          // the rollup's hour and an import's hour of the same point are two rows
          hours
              .computeIfAbsent(row.time(), t -> new TreeMap<>())
              .merge(
                  field,
                  new ReadingSeries.Stats(
                      ((Number) row.columns().get(field + "_mean")).doubleValue(),
                      ((Number) row.columns().get(field + "_min")).doubleValue(),
                      ((Number) row.columns().get(field + "_max")).doubleValue(),
                      count.longValue()),
                  ReadingsService::combined);
        }
      }
    }
    return hours;
  }

  private static Instant ceilHour(Instant instant) {
    Instant floor = instant.truncatedTo(ChronoUnit.HOURS);
    return floor.equals(instant) ? floor : floor.plus(Duration.ofHours(1));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private void addBuckets(
      Map<Instant, Map<String, ReadingSeries.Stats>> buckets,
      MonitoringPoint point,
      String field,
      PointReview.Range range,
      String interval,
      String zone) {
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
                + "\") AS count FROM "
                + ReadingStore.RAW_READINGS
                + " WHERE \"point\" = $point AND \""
                + field
                + "_flag\" = 'N' AND time >= "
                + InfluxReader.nanos(range.start())
                + " AND time < "
                + InfluxReader.nanos(range.end())
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
      ReadingSeries.Stats stats =
          new ReadingSeries.Stats(
              ((Number) row.columns().get("mean")).doubleValue(),
              ((Number) row.columns().get("min")).doubleValue(),
              ((Number) row.columns().get("max")).doubleValue(),
              count.longValue());
      buckets
          .computeIfAbsent(row.time(), t -> new TreeMap<>())
          .merge(field, stats, ReadingsService::combined);
    }
  }

  /** The statistics of two parts of one bucket, as if computed over both. */
  private static ReadingSeries.Stats combined(ReadingSeries.Stats a, ReadingSeries.Stats b) {
    long count = a.count() + b.count();
    return new ReadingSeries.Stats(
        (a.mean() * a.count() + b.mean() * b.count()) / count,
        Math.min(a.min(), b.min()),
        Math.max(a.max(), b.max()),
        count);
  }
}
