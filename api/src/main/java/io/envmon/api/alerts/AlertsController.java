package io.envmon.api.alerts;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.review.ReviewService;
import io.envmon.api.security.Viewer;
import io.envmon.api.web.PageQuery;
import io.envmon.api.web.Paging;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.sse.Event;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;

/** {@code /api/v1/alerts}: the alerts a user may see, their acknowledgement, and their stream. */
@Controller("/api/v1/alerts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "alerts")
public class AlertsController {

  private final AlertService alerts;
  private final AlertStream stream;
  private final ReviewService reviews;

  public AlertsController(AlertService alerts, AlertStream stream, ReviewService reviews) {
    this.alerts = alerts;
    this.stream = stream;
    this.reviews = reviews;
  }

  @Get
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Operation(
      summary = "Alerts the user may see, newest change first, a page at a time",
      description =
          "Own city's alerts (for JOINT: the receiving city's), every alert for the coordinator,"
              + " and another city's alert only where its point is visible to the user. At most"
              + " one alert of a point and type (and origin, for JOINT) is active: of two"
              + " episodes the one that started later wins, the other is cleared as superseded."
              + " startedAt and updatedAt are observation times; a delayed alert (late data) also"
              + " names detectedAt, when the platform received the data. reviewedInvalid says"
              + " whether a review mark of its point invalidated data of [startedAt, updatedAt]."
              + " One page of size alerts; when there are more, a Link header names the next page"
              + " (rel=\"next\").")
  @ApiResponse(responseCode = "400", description = "unknown status or type, bad page or size")
  public HttpResponse<List<AlertView>> list(
      Authentication authentication,
      @QueryValue @Nullable String city,
      @Parameter(description = "active (RAISED, ESCALATED; the default), cleared or all")
          @QueryValue
          @Nullable
          String status,
      @QueryValue @Nullable String type,
      @RequestBean PageQuery pageQuery) {
    Paging paging = pageQuery.paging();
    ReviewService.Reviews review = reviews.current();
    Viewer viewer = Viewer.of(authentication);
    List<AlertView> views =
        alerts
            .visibleAlerts(
                viewer,
                Optional.ofNullable(city),
                Optional.ofNullable(status),
                Optional.ofNullable(type),
                paging)
            .stream()
            .map(
                a ->
                    AlertView.of(a)
                        .reviewedBy(review.of(a.alert().pointId()))
                        .acknowledgeableBy(alerts.mayAcknowledge(viewer, a.alert())))
            .toList();
    UriBuilder self = UriBuilder.of("/api/v1/alerts");
    if (city != null) {
      self.queryParam("city", city);
    }
    if (status != null) {
      self.queryParam("status", status);
    }
    if (type != null) {
      self.queryParam("type", type);
    }
    return paging.answer(views, self);
  }

  @Get("/{id}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Operation(summary = "One alert")
  @ApiResponse(responseCode = "404", description = "no such alert, or not visible to the user")
  public AlertView get(Authentication authentication, @PathVariable String id) {
    StoredAlert alert = alerts.visibleAlert(Viewer.of(authentication), id);
    return AlertView.of(alert)
        .reviewedBy(reviews.of(alert.alert().pointId()))
        .acknowledgeableBy(alerts.mayAcknowledge(Viewer.of(authentication), alert.alert()));
  }

  @Post("/{id}/ack")
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Operation(
      summary = "Acknowledge an alert",
      description =
          "An emergency or bureau user of the alert's city (for JOINT the receiving city) or the"
              + " coordinator; records who and when, once.")
  @ApiResponse(responseCode = "403", description = "the user may see but not acknowledge it")
  @ApiResponse(responseCode = "404", description = "no such alert, or not visible to the user")
  @ApiResponse(responseCode = "409", description = "already acknowledged")
  public AlertView acknowledge(Authentication authentication, @PathVariable String id) {
    // acknowledged now: acknowledgeable no more
    return AlertView.of(alerts.acknowledge(Viewer.of(authentication), id)).acknowledgeableBy(true);
  }

  @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
  @Operation(
      summary = "Server-Sent Events: every event of an alert the user may see",
      description =
          "Events raised, escalated, cleared and acknowledged, data = the alert JSON. Each"
              + " event's id is its sequence number; reconnecting with Last-Event-ID replays the"
              + " later events, then continues live. Without it the stream starts with the next"
              + " event. A ': heartbeat' comment line comes every"
              + " envmon.alerts.stream-heartbeat-interval (15 s). The stream ends within"
              + " envmon.security.user-recheck-interval (2 s) once its user is deleted, demoted or"
              + " given a new password.")
  public Publisher<Event<Object>> stream(
      Authentication authentication,
      @Parameter(description = "resume after this event id") @Header("Last-Event-ID") @Nullable
          String lastEventId) {
    return stream.subscribe(authentication, Viewer.of(authentication), parseEventId(lastEventId));
  }

  private static Optional<Long> parseEventId(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lastEventId.trim()));
    } catch (NumberFormatException e) {
      throw InvalidRequestException.field(
          "Last-Event-ID", "must be an event id (a number), not " + lastEventId);
    }
  }
}
