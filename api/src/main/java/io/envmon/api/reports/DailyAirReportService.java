package io.envmon.api.reports;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.ReadingsService;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.ClusterRepository;
import io.envmon.api.registry.ClusterRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.aqi.DailyAirQuality;
import io.envmon.domain.aqi.DailyAirRating;
import io.envmon.domain.aqi.DailyStatistic;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The daily air report (日报) of the AIR points a viewer may see, their cities and their cluster, per
 * natural day in each city's time, each day rated by the AQI standard in force at its start
 * (docs/api.md "Daily air report").
 */
@Singleton
public class DailyAirReportService {

  /** The longest range one request may ask for, in days. */
  static final int MAX_DAYS = 31;

  private final PointService points;
  private final CityRepository cities;
  private final ClusterRepository clusters;
  private final ReadingsService readings;
  private final AqiStandardSchedule aqiStandards;
  private final ReportScope reportScope;
  private final Clock clock;

  public DailyAirReportService(
      PointService points,
      CityRepository cities,
      ClusterRepository clusters,
      ReadingsService readings,
      AqiStandardSchedule aqiStandards,
      ReportScope reportScope,
      Clock clock) {
    this.points = points;
    this.cities = cities;
    this.clusters = clusters;
    this.readings = readings;
    this.aqiStandards = aqiStandards;
    this.reportScope = reportScope;
    this.clock = clock;
  }

  /**
   * The report of [date, to] (to defaults to date): for {@code pointId} that point's rows; for
   * {@code cityId} its visible points' rows and the city's; for neither every city's and the
   * cluster's.
   */
  public DailyAirReport report(
      Viewer viewer, String dateText, String toText, String cityId, String pointId) {
    return report(viewer, dateText, toText, cityId, pointId, point -> true);
  }

  /**
   * The report over the visible points that {@code admitted} lets in (the public API: the ACTIVE
   * ones); a point it keeps out is 404 as one not visible.
   */
  public DailyAirReport report(
      Viewer viewer,
      String dateText,
      String toText,
      String cityId,
      String pointId,
      Predicate<MonitoringPoint> admitted) {
    LocalDate from = date("date", dateText);
    LocalDate to = toText == null ? from : date("to", toText);
    if (to.isBefore(from)) {
      throw InvalidRequestException.field("to", "must not be before date " + from);
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw InvalidRequestException.field(
          "to", "at most " + MAX_DAYS + " days from date in one report; ask again for the rest");
    }
    PointService.Visible visible =
        points.visible(viewer, Optional.empty(), Optional.of(PointKind.AIR));
    List<MonitoringPoint> scope =
        reportScope.of(viewer, visible, PointKind.AIR, cityId, pointId, admitted);
    Map<String, CityRow> cityRows = new HashMap<>();
    cities.findAll().forEach(city -> cityRows.put(city.id(), city));
    Map<String, List<MonitoringPoint>> byCity = new TreeMap<>();
    scope.forEach(p -> byCity.computeIfAbsent(p.cityId(), c -> new ArrayList<>()).add(p));
    if (cityId != null && pointId == null) {
      byCity.putIfAbsent(cityId, new ArrayList<>());
    }
    Map<String, Map<Parameter, Map<Instant, Double>>> hourlyMeans = new HashMap<>();
    for (MonitoringPoint point : scope) {
      ZoneId zone = zoneOf(point.cityId(), visible);
      hourlyMeans.put(
          point.id(),
          readings.hourlyMeans(
              point,
              from.atStartOfDay(zone).toInstant(),
              to.plusDays(1).atStartOfDay(zone).toInstant(),
              zone));
    }
    Instant now = clock.instant();
    List<DailyAirReport.Row> rows = new ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      List<PointDay> clusterDays = new ArrayList<>();
      ZoneId clusterZone = null;
      for (Map.Entry<String, List<MonitoringPoint>> city : byCity.entrySet()) {
        ZoneId zone = zoneOf(city.getKey(), visible);
        clusterZone = clusterZone == null ? zone : clusterZone;
        Day day = new Day(date, zone, now);
        List<PointDay> cityDays = new ArrayList<>();
        for (MonitoringPoint point : city.getValue()) {
          PointDay pointDay = pointDay(point, day, hourlyMeans.get(point.id()));
          cityDays.add(pointDay);
          rows.add(
              row(day, "POINT", point.id(), point.name(), point.cityId(), pointDay.rating(), null));
        }
        clusterDays.addAll(cityDays);
        if (pointId == null) {
          CityRow row = cityRows.get(city.getKey());
          rows.add(
              row(
                  day,
                  "CITY",
                  city.getKey(),
                  row == null ? city.getKey() : row.name(),
                  city.getKey(),
                  overPoints(day.standard(), cityDays),
                  cityDays));
        }
      }
      if (pointId == null && cityId == null && clusterZone != null) {
        // envmon rule: the cluster's value is the mean over all its visible points (not over the
        // cities' values), its day bounded and rated as the first city's (they share a zone).
        Day day = new Day(date, clusterZone, now);
        String clusterId = cityRows.get(byCity.keySet().iterator().next()).clusterId();
        String clusterName = clusters.findById(clusterId).map(ClusterRow::name).orElse(clusterId);
        rows.add(
            row(
                day,
                "CLUSTER",
                clusterId,
                clusterName,
                null,
                overPoints(day.standard(), clusterDays),
                clusterDays));
      }
    }
    return new DailyAirReport(from, to, rows);
  }

  private static ZoneId zoneOf(String cityId, PointService.Visible visible) {
    return visible.cityZones().getOrDefault(cityId, ZoneId.of("UTC"));
  }

  /** The date in {@code text}, or 400 naming {@code field}. */
  static LocalDate date(String field, String text) {
    if (text == null || text.isBlank()) {
      throw InvalidRequestException.field(field, "is required, a date like 2026-12-01");
    }
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw InvalidRequestException.field(
          field, "'" + text + "' is not a date like 2026-12-01 (YYYY-MM-DD)");
    }
  }

  /** A natural day in a city's time: its hours and the AQI standard in force at its start. */
  private final class Day {
    final LocalDate date;
    final ZoneId zone;
    final Instant start;
    final Instant end;
    final List<Instant> hours = new ArrayList<>();
    final boolean complete;

    Day(LocalDate date, ZoneId zone, Instant now) {
      this.date = date;
      this.zone = zone;
      this.start = date.atStartOfDay(zone).toInstant();
      this.end = date.plusDays(1).atStartOfDay(zone).toInstant();
      for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
        hours.add(hour);
      }
      this.complete = !now.isBefore(end);
    }

    AqiStandard standard() {
      return aqiStandards.at(start);
    }
  }

  /** A point's day: its rating, and its O3 1h maximum (which HJ 633-2012 days also use). */
  private record PointDay(String pointId, DailyAirRating rating, Double o3MaxOneHour) {}

  private static PointDay pointDay(
      MonitoringPoint point, Day day, Map<Parameter, Map<Instant, Double>> hourlyMeans) {
    Map<Parameter, List<Double>> hours = new EnumMap<>(Parameter.class);
    hourlyMeans.forEach(
        (pollutant, means) -> hours.put(pollutant, day.hours.stream().map(means::get).toList()));
    DailyAirRating rating = DailyAirQuality.ofHourlyMeans(day.standard(), hours);
    return new PointDay(
        point.id(),
        rating,
        DailyAirQuality.o3MaxOneHourMean(hours.getOrDefault(Parameter.O3, List.of())));
  }

  /** A city's or the cluster's rating: each statistic the mean of its points' valid ones. */
  private static DailyAirRating overPoints(AqiStandard standard, List<PointDay> days) {
    Map<Parameter, DailyStatistic> statistics = new EnumMap<>(Parameter.class);
    for (Parameter pollutant : DailyAirQuality.POLLUTANTS) {
      statistics.put(
          pollutant,
          DailyAirQuality.meanOverPoints(
              days.stream().map(d -> d.rating().statistics().get(pollutant)).toList()));
    }
    return DailyAirQuality.rate(
        standard,
        statistics,
        DailyAirQuality.meanOfPresent(days.stream().map(PointDay::o3MaxOneHour).toList()));
  }

  private static DailyAirReport.Row row(
      Day day,
      String scope,
      String id,
      String name,
      String cityId,
      DailyAirRating rating,
      List<PointDay> pointDays) {
    AqiResult aqi = rating.aqi();
    Map<String, DailyAirReport.Pollutant> pollutants = new LinkedHashMap<>();
    for (Parameter pollutant : DailyAirQuality.POLLUTANTS) {
      DailyStatistic statistic = rating.statistics().get(pollutant);
      pollutants.put(
          pollutant.canonicalName(),
          new DailyAirReport.Pollutant(
              pollutant == Parameter.O3 ? "8h-max" : "24h",
              pollutant.unit(),
              rating.reported().get(pollutant),
              statistic.basis(),
              aqi == null || !statistic.isValid() ? null : aqi.iaqi().get(pollutant),
              rating.limits().limit(pollutant),
              rating.exceedances().contains(pollutant),
              rounded(rating.exceedanceMultiple(pollutant)),
              statistic.missingReason()));
    }
    List<String> used = null;
    List<String> withoutData = null;
    if (pointDays != null) {
      used = new ArrayList<>();
      withoutData = new ArrayList<>();
      for (PointDay pointDay : pointDays) {
        boolean any =
            pointDay.rating().statistics().values().stream().anyMatch(DailyStatistic::isValid);
        (any ? used : withoutData).add(pointDay.pointId());
      }
    }
    List<String> missing =
        DailyAirQuality.POLLUTANTS.stream()
            .filter(p -> !rating.statistics().get(p).isValid())
            .map(Parameter::canonicalName)
            .toList();
    return new DailyAirReport.Row(
        day.date,
        scope,
        id,
        name,
        cityId,
        scope.equals("CLUSTER") ? null : day.zone.getId(),
        day.start,
        day.end,
        day.complete,
        rating.standard().code(),
        rating.limits().code(),
        aqi == null ? null : aqi.aqi(),
        aqi != null && aqi.aqiPublished(),
        aqi == null ? null : aqi.aqiText(),
        aqi == null ? null : aqi.category().name(),
        aqi == null ? null : aqi.category().zhName(),
        aqi == null ? null : aqi.category().level(),
        aqi == null
            ? List.of()
            : aqi.primaryPollutants().stream().map(Parameter::canonicalName).toList(),
        rating.exceedances().stream().map(Parameter::canonicalName).toList(),
        missing,
        pollutants,
        used,
        withoutData);
  }

  private static Double rounded(Double multiple) {
    return multiple == null ? null : Math.round(multiple * 100) / 100.0;
  }
}
