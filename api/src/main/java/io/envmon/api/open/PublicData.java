package io.envmon.api.open;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.LatestReading;
import io.envmon.api.readings.ReadingSeries;
import io.envmon.api.readings.ReadingsService;
import io.envmon.api.registry.PointService;
import io.envmon.api.registry.PointView;
import io.envmon.api.reports.DailyAirReport;
import io.envmon.api.reports.DailyAirReportService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.reading.Parameter;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the public may read: the ACTIVE CLUSTER points ({@link Viewer#PUBLIC} sees CLUSTER points
 * alone; PLANNED and DECOMMISSIONED ones are left out here) and their reviewed data.
 */
@Singleton
public class PublicData {

  private final PointService points;
  private final ReadingsService readings;
  private final DailyAirReportService reports;

  public PublicData(PointService points, ReadingsService readings, DailyAirReportService reports) {
    this.points = points;
    this.readings = readings;
    this.reports = reports;
  }

  static boolean isPublic(MonitoringPoint point) {
    return point.sharing() == SharingScope.CLUSTER && point.status() == PointStatus.ACTIVE;
  }

  public List<PointView> points(String cityId, PointKind kind) {
    return publicPoints(cityId, kind).stream()
        .sorted(Comparator.comparing(MonitoringPoint::id))
        .map(PointView::of)
        .toList();
  }

  public List<LatestReading> latest(String cityId, PointKind kind) {
    Set<String> ids =
        publicPoints(cityId, kind).stream().map(MonitoringPoint::id).collect(Collectors.toSet());
    return readings
        .latest(Viewer.PUBLIC, Optional.ofNullable(cityId), Optional.ofNullable(kind))
        .readings()
        .stream()
        .filter(l -> ids.contains(l.pointId()))
        .toList();
  }

  public ReadingSeries history(String pointId, String from, String to, String intervalText) {
    MonitoringPoint point = points.visiblePoint(Viewer.PUBLIC, pointId);
    if (!isPublic(point)) {
      // alike to a point that does not exist: the public learns nothing of it
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no point " + pointId);
    }
    String interval = intervalText == null ? "1h" : intervalText;
    if (!interval.equals("1h") && !interval.equals("1d")) {
      throw InvalidRequestException.field("interval", "must be 1h or 1d");
    }
    return readings.series(Viewer.PUBLIC, pointId, from, to, interval, ReadingsService.REVIEWED);
  }

  /** The public points themselves, by id (the SensorThings API's Things). */
  public List<MonitoringPoint> publicPoints() {
    return publicPoints(null, null).stream()
        .sorted(Comparator.comparing(MonitoringPoint::id))
        .toList();
  }

  /** A public point; empty alike for a point that is not public and one that does not exist. */
  public Optional<MonitoringPoint> publicPoint(String pointId) {
    return publicPoints(null, null).stream().filter(p -> p.id().equals(pointId)).findFirst();
  }

  /**
   * A public point's hourly buckets of one parameter over [from, to), reviewed; 404 for a point
   * that is not public.
   */
  public List<ReadingSeries.Bucket> reviewedHourly(
      String pointId, Parameter parameter, Instant from, Instant to) {
    MonitoringPoint point =
        publicPoint(pointId)
            .orElseThrow(
                () -> new HttpStatusException(HttpStatus.NOT_FOUND, "no point " + pointId));
    return readings.reviewedHourly(point, parameter, from, to);
  }

  /**
   * {@link #reviewedHourly(String, Parameter, Instant, Instant)} of a point already read among the
   * {@link #publicPoints()}, without reading them again; 404 for a point that is not public.
   */
  public List<ReadingSeries.Bucket> reviewedHourly(
      MonitoringPoint point, Parameter parameter, Instant from, Instant to) {
    if (!isPublic(point)) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no point " + point.id());
    }
    return readings.reviewedHourly(point, parameter, from, to);
  }

  public DailyAirReport dailyAirReport(String date, String to, String cityId, String pointId) {
    return reports.report(Viewer.PUBLIC, date, to, cityId, pointId, PublicData::isPublic);
  }

  private List<MonitoringPoint> publicPoints(String cityId, PointKind kind) {
    return points
        .visiblePoints(Viewer.PUBLIC, Optional.ofNullable(cityId), Optional.ofNullable(kind))
        .stream()
        .filter(PublicData::isPublic)
        .toList();
  }
}
