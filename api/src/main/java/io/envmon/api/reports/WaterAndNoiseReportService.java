package io.envmon.api.reports;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.ReadingsService;
import io.envmon.api.readings.ReadingsService.ValidValues;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.noise.NoiseAssessor;
import io.envmon.domain.noise.NoisePeriod;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.water.SectionAssessment;
import io.envmon.domain.water.WaterClass;
import io.envmon.domain.water.WaterQualityClassifier;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The monthly water report and the daily noise report of the points a viewer may see, from their
 * reviewed valid data (docs/api.md "Monthly water report", "Daily noise report").
 */
@Singleton
public class WaterAndNoiseReportService {

  static final String WATER_STANDARD = "GB 3838-2002";
  private static final Duration DAY_PERIOD = Duration.ofHours(24).minus(NightWindow.LENGTH);

  private final PointService points;
  private final CityRepository cities;
  private final ReadingsService readings;
  private final ReportScope reportScope;
  private final Clock clock;

  public WaterAndNoiseReportService(
      PointService points,
      CityRepository cities,
      ReadingsService readings,
      ReportScope reportScope,
      Clock clock) {
    this.points = points;
    this.cities = cities;
    this.readings = readings;
    this.reportScope = reportScope;
    this.clock = clock;
  }

  /** The month's report of the visible WATER sections: of one point, one city, or all. */
  public WaterMonthlyReport water(Viewer viewer, String monthText, String cityId, String pointId) {
    YearMonth month = month(monthText);
    PointService.Visible visible =
        points.visible(viewer, Optional.empty(), Optional.of(PointKind.WATER));
    Instant now = clock.instant();
    List<WaterMonthlyReport.Row> rows = new ArrayList<>();
    for (MonitoringPoint point :
        reportScope.of(viewer, visible, PointKind.WATER, cityId, pointId, p -> true)) {
      ZoneId zone = visible.cityZones().getOrDefault(point.cityId(), ZoneId.of("UTC"));
      Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
      Instant end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
      rows.add(waterRow(point, month, zone, start, end, now));
    }
    return new WaterMonthlyReport(month.toString(), rows);
  }

  private WaterMonthlyReport.Row waterRow(
      MonitoringPoint point,
      YearMonth month,
      ZoneId zone,
      Instant start,
      Instant end,
      Instant now) {
    WaterAttributes water = point.water();
    Map<Parameter, double[]> sums = new EnumMap<>(Parameter.class);
    for (ValidValues reading : readings.validValues(point, start, end)) {
      reading
          .values()
          .forEach(
              (item, value) -> {
                // a stored hour's mean stands for its readings: the month's mean is theirs
                double[] sum = sums.computeIfAbsent(item, i -> new double[2]);
                sum[0] += value * reading.count(item);
                sum[1] += reading.count(item);
              });
    }
    Map<Parameter, Double> means = new EnumMap<>(Parameter.class);
    sums.forEach((item, sum) -> means.put(item, sum[0] / sum[1]));
    SectionAssessment assessment = null;
    try {
      assessment = WaterQualityClassifier.assess(means, water.waterBody());
    } catch (IllegalArgumentException noItemWithLimits) {
      // no valid value of an item with class limits this month: no class
    }
    Map<String, WaterMonthlyReport.Item> items = new LinkedHashMap<>();
    for (Map.Entry<Parameter, Double> mean : means.entrySet()) {
      Parameter item = mean.getKey();
      WaterClass itemClass = assessment == null ? null : assessment.itemClasses().get(item);
      OptionalDouble limit =
          WaterQualityClassifier.upperLimit(item, water.targetClass(), water.waterBody());
      Double multiple =
          limit.isPresent() && mean.getValue() > limit.getAsDouble()
              ? round((mean.getValue() - limit.getAsDouble()) / limit.getAsDouble(), 2)
              : null;
      items.put(
          item.canonicalName(),
          new WaterMonthlyReport.Item(
              round(mean.getValue(), 3),
              item.unit(),
              (int) sums.get(item)[1],
              itemClass == null ? null : itemClass.label(),
              multiple));
    }
    return new WaterMonthlyReport.Row(
        point.id(),
        point.name(),
        point.cityId(),
        water.river(),
        water.waterBody().name(),
        water.important(),
        zone.getId(),
        start,
        end,
        !end.isAfter(now),
        WATER_STANDARD,
        water.targetClass().label(),
        assessment == null ? null : assessment.sectionClass().label(),
        assessment == null ? null : assessment.sectionClass().zhLabel(),
        assessment == null ? null : assessment.compliesWith(water.targetClass()),
        assessment == null ? List.of() : names(assessment.determiningItems()),
        assessment == null ? List.of() : names(assessment.itemsWorseThan(water.targetClass())),
        items);
  }

  /**
   * The days' report of the visible NOISE points (of one point, one city, or all) and, unless one
   * point was asked for, each city's zones.
   */
  public NoiseDailyReport noise(
      Viewer viewer, String dateText, String toText, String cityId, String pointId) {
    LocalDate from = DailyAirReportService.date("date", dateText);
    LocalDate to = toText == null ? from : DailyAirReportService.date("to", toText);
    if (to.isBefore(from)) {
      throw InvalidRequestException.field("to", "must not be before date " + from);
    }
    if (ChronoUnit.DAYS.between(from, to) >= DailyAirReportService.MAX_DAYS) {
      throw InvalidRequestException.field(
          "to",
          "at most "
              + DailyAirReportService.MAX_DAYS
              + " days from date in one report; ask again for the rest");
    }
    PointService.Visible visible =
        points.visible(viewer, Optional.empty(), Optional.of(PointKind.NOISE));
    List<MonitoringPoint> scope =
        reportScope.of(viewer, visible, PointKind.NOISE, cityId, pointId, p -> true);
    Instant now = clock.instant();
    List<NoiseDailyReport.Row> rows = new ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      Map<String, Map<NoiseZone, List<NoiseDailyReport.Row>>> zones = new TreeMap<>();
      for (MonitoringPoint point : scope) {
        ZoneId zone = visible.cityZones().getOrDefault(point.cityId(), ZoneId.of("UTC"));
        NightWindow night = visible.nightOf(point.cityId());
        NoiseDailyReport.Row row = noiseRow(point, date, zone, night, now);
        rows.add(row);
        zones
            .computeIfAbsent(point.cityId(), c -> new EnumMap<>(NoiseZone.class))
            .computeIfAbsent(point.noiseZone(), z -> new ArrayList<>())
            .add(row);
      }
      if (pointId == null) {
        zones.forEach(
            (city, byZone) ->
                byZone.forEach(
                    (noiseZone, pointRows) -> rows.add(zoneRow(city, noiseZone, pointRows))));
      }
    }
    return new NoiseDailyReport(from, to, rows);
  }

  /**
   * The day period of {@code date} starts when the night before it ends (06:00 by default) and
   * lasts 16 hours; the night period follows it for 8 hours (22:00–06:00 of the next day).
   */
  private NoiseDailyReport.Row noiseRow(
      MonitoringPoint point, LocalDate date, ZoneId zone, NightWindow night, Instant now) {
    Instant dayStart = date.atTime(night.end()).atZone(zone).toInstant();
    Instant nightStart = dayStart.plus(DAY_PERIOD);
    Instant nightEnd = nightStart.plus(NightWindow.LENGTH);
    // Each hour's Leq from the readings in it, then Ld / Ln from the period's hourly Leqs. An hour
    // older than the raw readings kept is its stored mean Leq (the readings' energy mean is not
    // stored): docs/api.md "Daily noise report".
    Map<Instant, List<Double>> hourly = new TreeMap<>();
    for (ValidValues reading : readings.validValues(point, dayStart, nightEnd)) {
      Double leq = reading.values().get(Parameter.LEQ);
      if (leq != null) {
        hourly
            .computeIfAbsent(
                reading.time().atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant(),
                h -> new ArrayList<>())
            .add(leq);
      }
    }
    List<Double> dayHours = new ArrayList<>();
    List<Double> nightHours = new ArrayList<>();
    hourly.forEach(
        (hour, levels) ->
            (hour.isBefore(nightStart) ? dayHours : nightHours)
                .add(NoiseAssessor.energyMeanDbA(levels)));
    NoiseZone noiseZone = point.noiseZone();
    int dayLimit = NoiseAssessor.limitDbA(noiseZone, NoisePeriod.DAY);
    int nightLimit = NoiseAssessor.limitDbA(noiseZone, NoisePeriod.NIGHT);
    Double ld = dayHours.isEmpty() ? null : round(NoiseAssessor.energyMeanDbA(dayHours), 1);
    Double ln = nightHours.isEmpty() ? null : round(NoiseAssessor.energyMeanDbA(nightHours), 1);
    return new NoiseDailyReport.Row(
        date,
        "POINT",
        point.id(),
        point.name(),
        point.cityId(),
        noiseZone.code(),
        night.toString(),
        dayStart,
        nightStart,
        nightEnd,
        !nightEnd.isAfter(now),
        dayLimit,
        nightLimit,
        ld,
        ln,
        ld == null ? null : ld <= dayLimit,
        ln == null ? null : ln <= nightLimit,
        dayHours.size(),
        nightHours.size(),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private NoiseDailyReport.Row zoneRow(
      String cityId, NoiseZone noiseZone, List<NoiseDailyReport.Row> pointRows) {
    NoiseDailyReport.Row first = pointRows.get(0);
    int dayEvaluated = 0;
    int dayCompliant = 0;
    int nightEvaluated = 0;
    int nightCompliant = 0;
    for (NoiseDailyReport.Row row : pointRows) {
      if (row.dayCompliant() != null) {
        dayEvaluated++;
        dayCompliant += row.dayCompliant() ? 1 : 0;
      }
      if (row.nightCompliant() != null) {
        nightEvaluated++;
        nightCompliant += row.nightCompliant() ? 1 : 0;
      }
    }
    String cityName = cities.findById(cityId).map(c -> c.name()).orElse(cityId);
    return new NoiseDailyReport.Row(
        first.date(),
        "ZONE",
        cityId,
        cityName + " · " + noiseZone.code() + " 类",
        cityId,
        noiseZone.code(),
        first.night(),
        first.dayStart(),
        first.nightStart(),
        first.nightEnd(),
        first.complete(),
        first.dayLimitDbA(),
        first.nightLimitDbA(),
        null,
        null,
        null,
        null,
        null,
        null,
        pointRows.stream().map(NoiseDailyReport.Row::id).sorted().toList(),
        dayEvaluated,
        dayCompliant,
        dayEvaluated == 0 ? null : round(100.0 * dayCompliant / dayEvaluated, 1),
        nightEvaluated,
        nightCompliant,
        nightEvaluated == 0 ? null : round(100.0 * nightCompliant / nightEvaluated, 1));
  }

  private static YearMonth month(String text) {
    if (text == null || text.isBlank()) {
      throw InvalidRequestException.field("month", "is required, a month like 2026-11");
    }
    try {
      return YearMonth.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw InvalidRequestException.field(
          "month", "'" + text + "' is not a month like 2026-11 (YYYY-MM)");
    }
  }

  private static List<String> names(List<Parameter> items) {
    return items.stream().map(Parameter::canonicalName).toList();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
