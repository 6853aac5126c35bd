package io.envmon.api.alerts;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Role;
import io.envmon.api.security.Viewer;
import io.envmon.api.web.Paging;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Who may see and acknowledge which alert: the alert's (receiving) city, the coordinator, and
 * another city only where the alert's point is visible to it (the points rule of {@link Viewer});
 * anything else is 404, as if it did not exist.
 */
@Singleton
public class AlertService {

  private final AlertStore store;
  private final PointService points;
  private final AuditRepository audit;
  private final Clock clock;

  public AlertService(AlertStore store, PointService points, AuditRepository audit, Clock clock) {
    this.store = store;
    this.points = points;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * One page of the alerts the viewer may see, filtered and paged in the database (and one more
   * when a next page exists, {@link Paging#answer}).
   */
  public List<StoredAlert> visibleAlerts(
      Viewer viewer,
      Optional<String> cityId,
      Optional<String> status,
      Optional<String> type,
      Paging paging) {
    AlertStatus alertStatus =
        parse(AlertStatus.class, "status", status.orElse("active"), "active, cleared or all");
    Optional<AlertType> alertType =
        type.map(
            t -> parse(AlertType.class, "type", t, "one of the alert types of docs/alerts.md"));
    return store.find(alertStatus.states(), cityId, alertType, listVisibility(viewer), paging);
  }

  /** {@link #visibility} as a filter the database applies. */
  private AlertStore.Visibility listVisibility(Viewer viewer) {
    if (viewer.isCoordinator()) {
      return AlertStore.Visibility.all();
    }
    return new AlertStore.Visibility(
        false,
        viewer.cityId().orElse(null),
        points.visiblePoints(viewer, Optional.empty(), Optional.empty()).stream()
            .map(MonitoringPoint::id)
            .collect(Collectors.toSet()));
  }

  /** The alert if it exists and the viewer may see it; 404 otherwise, alike. */
  public StoredAlert visibleAlert(Viewer viewer, String id) {
    return store
        .findById(id)
        .filter(a -> visibility(viewer).test(a.alert()))
        .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no alert " + id));
  }

  /**
   * Acknowledges for an emergency or bureau user of the alert's city (for JOINT the receiving city)
   * or the coordinator; once only.
   */
  @Transactional
  public StoredAlert acknowledge(Viewer viewer, String id) {
    StoredAlert stored = visibleAlert(viewer, id);
    if (!mayAcknowledge(viewer, stored.alert())) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "only the coordinator or an emergency or bureau user of "
              + stored.alert().cityId()
              + " may acknowledge alert "
              + id);
    }
    Instant now = clock.instant();
    if (!store.acknowledge(id, viewer.username(), now)) {
      StoredAlert current = store.findById(id).orElse(stored);
      throw new HttpStatusException(
          HttpStatus.CONFLICT,
          "alert "
              + id
              + " was already acknowledged by "
              + current.acknowledgedBy()
              + " at "
              + current.acknowledgedAt());
    }
    audit.save(
        new AuditRow(null, now, viewer.username(), "alert.ack", id, stored.alert().state().name()));
    store.recordAcknowledgement(stored, viewer.username(), now);
    return new StoredAlert(stored.alert(), viewer.username(), now);
  }

  /**
   * Whether the viewer may acknowledge the alert: the coordinator, or an emergency or bureau user
   * of the city that receives it.
   */
  public boolean mayAcknowledge(Viewer viewer, Alert alert) {
    return viewer.isCoordinator()
        || ((viewer.role() == Role.EMERGENCY || viewer.role() == Role.BUREAU)
            && viewer.cityId().map(alert.cityId()::equals).orElse(false));
  }

  /** Which alerts the viewer may see, as of now (the points it may see are read once). */
  public Predicate<Alert> visibility(Viewer viewer) {
    if (viewer.isCoordinator()) {
      return alert -> true;
    }
    Set<String> visiblePoints =
        points.visiblePoints(viewer, Optional.empty(), Optional.empty()).stream()
            .map(MonitoringPoint::id)
            .collect(Collectors.toSet());
    return alert ->
        viewer.cityId().map(alert.cityId()::equals).orElse(false)
            || visiblePoints.contains(alert.pointId());
  }

  private static <E extends Enum<E>> E parse(
      Class<E> type, String field, String text, String expected) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.field(field, "must be " + expected + ", not " + text);
    }
  }
}
