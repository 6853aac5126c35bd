package io.envmon.api.management;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.problem.Problem;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.CityRow;
import io.envmon.api.registry.ClusterRepository;
import io.envmon.api.registry.PointService;
import io.envmon.api.registry.RegistryVersion;
import io.envmon.api.security.Viewer;
import io.envmon.domain.noise.NightWindow;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Cities: only the coordinator creates and changes them (403 for everyone else); audited ({@code
 * city.create}, {@code city.update}). A city is never deleted (its points and history refer to it).
 */
@Singleton
public class CityService {

  private final CityRepository cities;
  private final ClusterRepository clusters;
  private final AuditRepository audit;
  private final Clock clock;
  private final RegistryVersion version;
  private final PointService pointService;

  public CityService(
      CityRepository cities,
      ClusterRepository clusters,
      AuditRepository audit,
      Clock clock,
      RegistryVersion version,
      PointService pointService) {
    this.pointService = pointService;
    this.cities = cities;
    this.clusters = clusters;
    this.audit = audit;
    this.clock = clock;
    this.version = version;
  }

  @Transactional
  public CityRow create(Viewer viewer, CityRequest request) {
    requireCoordinator(viewer);
    List<Problem.FieldError> errors = new ArrayList<>();
    if (request.id() == null) {
      errors.add(new Problem.FieldError("id", "must not be null"));
    }
    if (request.clusterId() == null || !clusters.existsById(request.clusterId())) {
      errors.add(new Problem.FieldError("clusterId", "must name an existing cluster"));
    }
    CityRow row = row(request.id(), request.clusterId(), request, errors);
    if (cities.existsById(row.id())) {
      throw new HttpStatusException(HttpStatus.CONFLICT, "city id " + row.id() + " is taken");
    }
    cities.save(row);
    version.raise();
    audit(viewer, "city.create", row);
    return row;
  }

  @Transactional
  public CityRow update(Viewer viewer, String id, CityRequest request) {
    requireCoordinator(viewer);
    CityRow existing =
        cities
            .findById(id)
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no city " + id));
    List<Problem.FieldError> errors = new ArrayList<>();
    if (request.id() != null && !request.id().equals(id)) {
      errors.add(new Problem.FieldError("id", "cannot change; it is " + id));
    }
    if (request.clusterId() != null && !request.clusterId().equals(existing.clusterId())) {
      errors.add(
          new Problem.FieldError("clusterId", "cannot change; it is " + existing.clusterId()));
    }
    CityRow row = row(id, existing.clusterId(), request, errors);
    cities.update(row);
    version.raise();
    audit(viewer, "city.update", row);
    // The jobs read the city's zone and night from its points' records on envmon.points.v1.
    pointService.republishChanged();
    return row;
  }

  private CityRow row(
      String id, String clusterId, CityRequest request, List<Problem.FieldError> errors) {
    try {
      ZoneId.of(request.timeZone());
    } catch (DateTimeException e) {
      errors.add(new Problem.FieldError("timeZone", "unknown time zone " + request.timeZone()));
    }
    NightWindow night = NightWindow.DEFAULT;
    if (request.nightStart() != null || request.nightEnd() != null) {
      if (request.nightStart() == null || request.nightEnd() == null) {
        errors.add(
            new Problem.FieldError(
                request.nightStart() == null ? "nightStart" : "nightEnd",
                "give both nightStart and nightEnd (HH:mm), or neither for 22:00-06:00"));
      } else {
        try {
          night = NightWindow.of(request.nightStart(), request.nightEnd());
        } catch (IllegalArgumentException e) {
          errors.add(new Problem.FieldError("nightEnd", e.getMessage()));
        }
      }
    }
    List<String> neighbours = request.neighbours() == null ? List.of() : request.neighbours();
    for (String neighbour : neighbours) {
      if (neighbour.equals(id)) {
        errors.add(new Problem.FieldError("neighbours", "a city is not its own neighbour"));
      } else if (!cities.existsById(neighbour)) {
        errors.add(new Problem.FieldError("neighbours", "unknown city " + neighbour));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(
          errors.size() + " field(s) of the city are invalid", errors);
    }
    return new CityRow(
        id,
        clusterId,
        request.name(),
        request.nameEn(),
        request.timeZone(),
        neighbours.toArray(String[]::new),
        night.startText(),
        night.endText());
  }

  private static void requireCoordinator(Viewer viewer) {
    if (!viewer.isCoordinator()) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "only the coordinator creates and changes cities");
    }
  }

  private void audit(Viewer viewer, String action, CityRow row) {
    audit.save(
        new AuditRow(
            null, clock.instant(), viewer.username(), action, "city:" + row.id(), row.name()));
  }
}
