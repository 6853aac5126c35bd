package io.envmon.domain.alert;

import io.envmon.domain.point.PointKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event in the life of an alert episode, the payload of Kafka {@code envmon.alerts.v1} (key =
 * {@code alertId}). The id is the same for every event of an episode. {@code cityId} is the city
 * that receives the alert; for JOINT alerts {@code originPointId}, {@code originCityId} and {@code
 * path} name where it came from (null otherwise).
 *
 * <p>{@code startedAt} and {@code updatedAt} are observation times (what the readings say); {@code
 * detectedAt} is when the platform produced this event by its own clock, and {@code delayed} says
 * the event came from data that reached the platform late (a gateway's back-fill, a lagging station
 * clock), so both times are shown (docs/stream-jobs.md "Time").
 */
public record Alert(
    String alertId,
    AlertType type,
    AlertState state,
    AlertSeverity severity,
    String pointId,
    String cityId,
    PointKind kind,
    Map<String, Double> values,
    Double threshold,
    String message,
    String messageZh,
    Instant startedAt,
    Instant updatedAt,
    String originPointId,
    String originCityId,
    List<String> path,
    Instant detectedAt,
    boolean delayed) {
  public Alert {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(pointId, "pointId");
    Objects.requireNonNull(cityId, "cityId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    values =
        values == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    path = path == null ? null : List.copyOf(path);
    if (type == AlertType.JOINT
        && (originPointId == null || originCityId == null || path == null)) {
      throw new IllegalArgumentException("a JOINT alert names its origin point, city and path");
    }
  }

  /** An event not (yet) stamped with the platform's detection time. */
  public Alert(
      String alertId,
      AlertType type,
      AlertState state,
      AlertSeverity severity,
      String pointId,
      String cityId,
      PointKind kind,
      Map<String, Double> values,
      Double threshold,
      String message,
      String messageZh,
      Instant startedAt,
      Instant updatedAt,
      String originPointId,
      String originCityId,
      List<String> path) {
    this(
        alertId,
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
        originPointId,
        originCityId,
        path,
        null,
        false);
  }

  /**
   * The stable id of an episode: a name-based UUID of type, point, receiving city (JOINT only) and
   * start instant, so a replay after a restart produces the same id.
   */
  public static String idFor(
      AlertType type, String pointId, String receivingCityId, Instant start) {
    String name =
        type.name()
            + "|"
            + pointId
            + "|"
            + (type == AlertType.JOINT ? receivingCityId : "")
            + "|"
            + start.toEpochMilli();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  public boolean isActive() {
    return state != AlertState.CLEARED;
  }

  /**
   * The same episode in a new state, with new values and severity, as of {@code at}; the Chinese
   * message is kept.
   */
  public Alert next(
      AlertState newState,
      AlertSeverity newSeverity,
      Map<String, Double> newValues,
      String newMessage,
      Instant at) {
    return next(newState, newSeverity, newValues, newMessage, messageZh, at);
  }

  /**
   * This event as the platform detected it at {@code detectedAt}, {@code delayed} when its data
   * arrived late, with the messages given (which say so).
   */
  public Alert detected(
      Instant detectedAt, boolean delayed, String newMessage, String newMessageZh) {
    return new Alert(
        alertId,
        type,
        state,
        severity,
        pointId,
        cityId,
        kind,
        values,
        threshold,
        newMessage,
        newMessageZh,
        startedAt,
        updatedAt,
        originPointId,
        originCityId,
        path,
        detectedAt,
        delayed);
  }

  /** The same episode in a new state, with new values, severity and messages, as of {@code at}. */
  public Alert next(
      AlertState newState,
      AlertSeverity newSeverity,
      Map<String, Double> newValues,
      String newMessage,
      String newMessageZh,
      Instant at) {
    return new Alert(
        alertId,
        type,
        newState,
        newSeverity,
        pointId,
        cityId,
        kind,
        newValues,
        threshold,
        newMessage,
        newMessageZh,
        startedAt,
        at,
        originPointId,
        originCityId,
        path);
  }
}
