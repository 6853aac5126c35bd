package io.envmon.api.reports;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The points a report covers: one point, one city's, or every visible one, of one kind. */
@Singleton
class ReportScope {

  private final PointService points;
  private final CityRepository cities;

  ReportScope(PointService points, CityRepository cities) {
    this.points = points;
    this.cities = cities;
  }

  /**
   * The visible points of {@code kind} that {@code admitted} lets in, by city and id: the point
   * {@code pointId} (404 when not visible or not admitted, 400 when of another kind or another city
   * than {@code cityId}), else those of {@code cityId} (404 for an unknown city), else all.
   */
  List<MonitoringPoint> of(
      Viewer viewer,
      PointService.Visible visible,
      PointKind kind,
      String cityId,
      String pointId,
      Predicate<MonitoringPoint> admitted) {
    if (pointId != null) {
      MonitoringPoint point = points.visiblePoint(viewer, pointId);
      if (!admitted.test(point)) {
        throw new HttpStatusException(HttpStatus.NOT_FOUND, "no point " + pointId);
      }
      if (point.kind() != kind) {
        throw InvalidRequestException.field(
            "point", pointId + " is a " + point.kind() + " point; this report is of " + kind);
      }
      if (cityId != null && !cityId.equals(point.cityId())) {
        throw InvalidRequestException.field("city", pointId + " is not in city " + cityId);
      }
      return List.of(point);
    }
    if (cityId != null && cities.findById(cityId).isEmpty()) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no city " + cityId);
    }
    return visible.points().stream()
        .filter(p -> cityId == null || p.cityId().equals(cityId))
        .filter(admitted)
        .sorted(Comparator.comparing(MonitoringPoint::cityId).thenComparing(MonitoringPoint::id))
        .toList();
  }
}
