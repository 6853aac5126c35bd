package io.envmon.api.alerts;

import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.review.PointReview;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert in the API's answers: the fields of {@code envmon.alerts.v1} (docs/alerts.md) and its
 * acknowledgement. {@code cityId} is the city that receives it (for JOINT not the origin). The
 * times are instants (UTC); people see them in the city's local time (the dashboard).
 */
@Serdeable
public record AlertView(
    String id,
    AlertType type,
    AlertState state,
    AlertSeverity severity,
    String pointId,
    String cityId,
    PointKind kind,
    Map<String, Double> values,
    @Nullable Double threshold,
    String message,
    @Nullable String messageZh,
    @Schema(description = "start of the episode: observation time (what the readings say)")
        Instant startedAt,
    @Schema(description = "time of the latest change: observation time") Instant updatedAt,
    @Schema(
            description =
                "when the platform produced the latest change by its own clock (the arrival time"
                    + " of late data); absent in records of stream jobs that do not stamp it")
        @Nullable
        Instant detectedAt,
    @Schema(
            description =
                "the latest change came from data that reached the platform late (e.g. a"
                    + " gateway's back-fill after an outage): startedAt and updatedAt are"
                    + " observation times, detectedAt the arrival")
        boolean delayed,
    @Nullable String originPointId,
    @Nullable String originCityId,
    @Nullable List<String> path,
    @Nullable String acknowledgedBy,
    @Nullable Instant acknowledgedAt,
    @Schema(
            description =
                "GET /alerts and /alerts/{id}: true when a review mark of the alert's point"
                    + " invalidates some value observed in [startedAt, updatedAt] (the alert"
                    + " rested on data its city's bureau later invalidated); absent in streamed"
                    + " events and webhooks")
        @Nullable
        Boolean reviewedInvalid,
    @Schema(
            description =
                "GET /alerts, /alerts/{id}, the acknowledgement's answer and the SSE stream: whether"
                    + " the signed-in user may acknowledge the alert (the coordinator, or an"
                    + " emergency or bureau user of the alert's city, while nobody has), so a"
                    + " client need not know the rule; absent in webhooks and MQTT")
        @Nullable
        Boolean acknowledgeable) {

  /** This alert marked with whether its point's review invalidated data of its window. */
  public AlertView reviewedBy(PointReview review) {
    return marked(review.invalidatesAnyWithin(startedAt, updatedAt.plusMillis(1)), acknowledgeable);
  }

  /**
   * This alert marked with whether the user it is shown to may acknowledge it: {@code
   * mayAcknowledge} (the rule, {@link AlertService#mayAcknowledge}) and not acknowledged yet.
   */
  public AlertView acknowledgeableBy(boolean mayAcknowledge) {
    return marked(reviewedInvalid, mayAcknowledge && acknowledgedBy == null);
  }

  /** This alert with the two per-answer marks set. */
  private AlertView marked(Boolean reviewedInvalid, Boolean acknowledgeable) {
    return new AlertView(
        id,
        type,
        state,
        severity,
        pointId,
        cityId,
        kind,
        values,
        threshold,
        message,
        messageZh,
        startedAt,
        updatedAt,
        detectedAt,
        delayed,
        originPointId,
        originCityId,
        path,
        acknowledgedBy,
        acknowledgedAt,
        reviewedInvalid,
        acknowledgeable);
  }

  public static AlertView of(StoredAlert stored) {
    var a = stored.alert();
    return new AlertView(
        a.alertId(),
        a.type(),
        a.state(),
        a.severity(),
        a.pointId(),
        a.cityId(),
        a.kind(),
        a.values(),
        a.threshold(),
        a.message(),
        a.messageZh(),
        a.startedAt(),
        a.updatedAt(),
        a.detectedAt(),
        a.delayed(),
        a.originPointId(),
        a.originCityId(),
        a.path(),
        stored.acknowledgedBy(),
        stored.acknowledgedAt(),
        null,
        null);
  }
}
