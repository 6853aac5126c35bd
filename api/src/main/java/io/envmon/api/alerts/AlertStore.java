package io.envmon.api.alerts;

import io.envmon.api.web.Paging;
import io.envmon.api.webhooks.WebhookRepository;
import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code alert} and {@code alert_event} tables (V2__alerts.sql, V6: detection time, one active
 * alert per point and type), through {@link AlertRepository}: the upsert of a consumed alert must
 * be idempotent, ordered and keep one active episode per point and type, in one transaction per
 * batch.
 */
@Singleton
public class AlertStore {

  /** The advisory lock that serialises appends to {@code alert_event}. */
  private static final long EVENT_WRITER_LOCK = 0x656e766d6f6e01L;

  /** The first key of the advisory locks per point and type (the second: a hash of the key). */
  private static final int EPISODE_KEY_LOCKS = 0x656e7601;

  private static final Logger log = LoggerFactory.getLogger(AlertStore.class);

  private final AlertRepository alerts;
  private final JsonMapper json;
  private final WebhookRepository webhooks;
  private final Clock clock;

  public AlertStore(
      AlertRepository alerts, JsonMapper json, WebhookRepository webhooks, Clock clock) {
    this.alerts = alerts;
    this.json = json;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  /** One consumed change: the alert and the record's payload as it arrived. */
  public record Change(Alert alert, byte[] payload) {}

  /**
   * Stores one consumed change: the alert row takes it unless it already holds a later one, and an
   * event is appended unless this very change (id, state, time) is there already, with a delivery
   * to each webhook of the alert's city. Returns whether an event was appended (false on
   * redelivery).
   */
  @Transactional
  public boolean record(Alert alert, byte[] payload) {
    return recordAll(List.of(new Change(alert, payload))) == 1;
  }

  /**
   * Stores consumed changes in order, in one transaction (one commit, one fsync, for a whole poll
   * of the consumer), as {@link #record} would one by one. Returns how many of them appended their
   * event (redelivered ones do not).
   *
   * <p>At most one alert of a point and type (and receiving city, and origin for JOINT) is active:
   * when a RAISED or ESCALATED change of one episode meets another active episode, the one that
   * started later wins (equal starts: the greater id) and the other is closed as superseded, with a
   * CLEARED event. A superseded episode takes no further change (a redelivered or late record of it
   * changes nothing). The partial unique index {@code alert_one_active} (V6) guarantees the rule.
   *
   * <p>Locks are taken so that neither another consumer's batch nor an acknowledgement can deadlock
   * with it: first the episode keys of all changes, in one statement in the order of the lock ids
   * (two replicas' batches over the same keys queue on the first they share), then the alert rows
   * under them, then, once, the lock of the event writer, under which the events are appended in
   * the changes' order (an acknowledgement takes a row, then the event writer's lock).
   */
  @Transactional
  public int recordAll(List<Change> changes) {
    if (changes.isEmpty()) {
      return 0;
    }
    lockEpisodeKeys(changes);
    List<PendingEvent> events = new ArrayList<>();
    for (Change change : changes) {
      apply(change.alert(), change.payload(), events);
    }
    if (events.isEmpty()) {
      return 0;
    }
    alerts.lock(EVENT_WRITER_LOCK);
    int appended = 0;
    boolean any = false;
    for (PendingEvent pending : events) {
      if (appendEvent(pending)) {
        any = true;
        if (pending.consumed()) {
          appended++;
        }
      }
    }
    if (any) {
      alerts.notifyAtCommit(AlertEventNotices.CHANNEL);
    }
    return appended;
  }

  /**
   * An event to append: the change's state, time and payload; {@code consumed} when it is the
   * consumed change itself rather than the closing of an episode it superseded.
   */
  private record PendingEvent(
      String state, Instant at, String payload, AlertEvent event, boolean consumed) {

    static PendingEvent of(Alert alert, String payload, boolean consumed) {
      return new PendingEvent(
          alert.state().name(),
          alert.updatedAt(),
          payload,
          new AlertEvent(0, alert.state().name(), alert, null, null),
          consumed);
    }
  }

  /** Updates the rows for one change and adds the events it makes to {@code events}. */
  private void apply(Alert alert, byte[] payload, List<PendingEvent> events) {
    Optional<AlertRow> current = alerts.lockById(alert.alertId());
    if (current.isPresent() && current.get().supersededBy() != null) {
      log.info(
          "Alert {} ({} at {}) ignored: superseded by {}",
          alert.alertId(),
          alert.state(),
          alert.updatedAt(),
          current.get().supersededBy());
      return;
    }
    boolean takesRow = current.isEmpty() || !current.get().updatedAt().isAfter(alert.updatedAt());
    if (alert.isActive() && takesRow) {
      Optional<Alert> rival =
          alerts
              .lockActiveRival(
                  alert.pointId(),
                  alert.type(),
                  alert.cityId(),
                  Objects.requireNonNullElse(alert.originPointId(), ""),
                  alert.alertId())
              .map(row -> stored(row).alert());
      if (rival.isPresent()) {
        Instant now = clock.instant();
        if (startsLater(rival.get(), alert)) {
          Alert closed = superseded(alert, rival.get(), now);
          alerts.upsert(row(closed, rival.get().alertId()));
          events.add(
              PendingEvent.of(
                  closed, new String(AlertJson.encode(closed), StandardCharsets.UTF_8), true));
          return;
        }
        Alert closed = superseded(rival.get(), alert, now);
        alerts.upsert(row(closed, alert.alertId()));
        events.add(
            PendingEvent.of(
                closed, new String(AlertJson.encode(closed), StandardCharsets.UTF_8), false));
      }
    }
    alerts.upsert(row(alert, null));
    events.add(PendingEvent.of(alert, new String(payload, StandardCharsets.UTF_8), true));
  }

  /**
   * Serialises the writers of one point and type (several replicas may consume partitions holding
   * two episodes of it) until commit, in a key space of its own beside {@link #EVENT_WRITER_LOCK}:
   * the keys of all the changes, taken in one statement in the order of their lock ids, so two
   * transactions over overlapping keys wait for each other instead of deadlocking.
   */
  private void lockEpisodeKeys(List<Change> changes) {
    alerts.lockKeys(
        EPISODE_KEY_LOCKS, changes.stream().map(c -> episodeKey(c.alert())).distinct().toList());
  }

  private static String episodeKey(Alert alert) {
    return String.join(
        "|",
        alert.pointId(),
        alert.type().name(),
        alert.cityId(),
        Objects.requireNonNullElse(alert.originPointId(), ""));
  }

  /** Whether episode {@code a} started after {@code b} (equal starts: the greater id wins). */
  static boolean startsLater(Alert a, Alert b) {
    int byStart = a.startedAt().compareTo(b.startedAt());
    return byStart != 0 ? byStart > 0 : a.alertId().compareTo(b.alertId()) > 0;
  }

  /**
   * {@code loser} closed because {@code winner} is the active episode of its point and type: as of
   * the later of its own last change and the winner's start, detected now.
   */
  static Alert superseded(Alert loser, Alert winner, Instant now) {
    Instant at =
        loser.updatedAt().isAfter(winner.startedAt()) ? loser.updatedAt() : winner.startedAt();
    String message =
        "superseded by alert "
            + winner.alertId()
            + " of the same point and type (one active alert per point and type)";
    String messageZh = "已被同一点位同类告警 " + winner.alertId() + " 取代（每个点位同类告警只保留一条）";
    return loser
        .next(AlertState.CLEARED, loser.severity(), loser.values(), message, messageZh, at)
        .detected(now, winner.delayed(), message, messageZh);
  }

  /**
   * Appends the ACKNOWLEDGED event of an alert (its current record, who and when) in the caller's
   * transaction, with its webhook deliveries.
   */
  @Transactional
  public void recordAcknowledgement(StoredAlert stored, String username, Instant at) {
    alerts.lock(EVENT_WRITER_LOCK);
    boolean appended =
        appendEvent(
            new PendingEvent(
                AlertEvent.ACKNOWLEDGED,
                at,
                new String(AlertJson.encode(stored.alert()), StandardCharsets.UTF_8),
                new AlertEvent(0, AlertEvent.ACKNOWLEDGED, stored.alert(), username, at),
                true));
    if (appended) {
      alerts.notifyAtCommit(AlertEventNotices.CHANNEL);
    }
  }

  /**
   * Appends an event with its webhook deliveries, under the event writer's lock (one writer of
   * {@code alert_event} at a time until commit, so ids become visible in id order and a reader
   * following "id > last seen", SSE and MQTT, skips none); false when this very change is there
   * already.
   */
  private boolean appendEvent(PendingEvent event) {
    Alert alert = event.event().alert();
    Long eventId =
        alerts.appendEvent(
            alert.alertId(),
            event.state(),
            event.at(),
            event.payload(),
            event.event().acknowledgedBy());
    if (eventId == null) {
      return false;
    }
    webhooks.enqueue(eventId, alert.alertId(), write(event.event().view()), alert.cityId());
    return true;
  }

  /**
   * The alerts in one of the states, optionally of one city and type, newest change first, of those
   * {@code visibleTo} admits: the page's rows and one more when a next page exists.
   */
  public List<StoredAlert> find(
      Set<AlertState> states,
      Optional<String> cityId,
      Optional<AlertType> type,
      Visibility visibleTo,
      Paging paging) {
    return alerts
        .findPage(
            states.stream().map(Enum::name).toList(),
            cityId.orElse(null),
            type.map(Enum::name).orElse(null),
            visibleTo.everything(),
            visibleTo.cityId(),
            visibleTo.pointIds(),
            paging.limit(),
            paging.offset())
        .stream()
        .map(this::stored)
        .toList();
  }

  /**
   * Which alerts a list may hold: every one, or those of a city (the receiving one) and of the
   * points visible to the viewer.
   */
  public record Visibility(boolean everything, String cityId, Set<String> pointIds) {
    public static Visibility all() {
      return new Visibility(true, null, Set.of());
    }
  }

  public Optional<StoredAlert> findById(String id) {
    return alerts.findById(id).map(this::stored);
  }

  /**
   * Records the acknowledgement unless there is one already; returns whether this call recorded it.
   * Joins the caller's transaction.
   */
  public boolean acknowledge(String id, String username, Instant at) {
    return alerts.acknowledge(id, username, at) == 1;
  }

  /** Up to {@code limit} events after the given id, in id order. */
  public List<AlertEvent> eventsAfter(long afterId, int limit) {
    return alerts.eventsAfter(afterId, limit).stream().map(AlertStore::event).toList();
  }

  private static AlertEvent event(AlertEventRow row) {
    try {
      return new AlertEvent(
          row.id(),
          row.state(),
          AlertJson.decode(row.payload().getBytes(StandardCharsets.UTF_8)),
          row.acknowledgedBy(),
          row.acknowledgedBy() == null ? null : row.at());
    } catch (DecodeException e) {
      throw new IllegalStateException("an alert_event payload does not decode", e);
    }
  }

  /** The id of the newest event, 0 when there is none. */
  public long lastEventId() {
    return alerts.lastEventId();
  }

  /** The row of an alert's change; {@code supersededBy} names the winner that closes it. */
  private AlertRow row(Alert alert, String supersededBy) {
    return new AlertRow(
        alert.alertId(),
        alert.type(),
        alert.state(),
        alert.severity(),
        alert.pointId(),
        alert.cityId(),
        alert.kind(),
        write(alert.values()),
        alert.threshold(),
        alert.message(),
        alert.messageZh(),
        alert.startedAt(),
        alert.updatedAt(),
        alert.originCityId(),
        alert.originPointId(),
        alert.path() == null ? null : write(alert.path()),
        null,
        null,
        alert.detectedAt(),
        alert.delayed(),
        supersededBy);
  }

  private StoredAlert stored(AlertRow row) {
    Alert alert =
        new Alert(
            row.id(),
            row.type(),
            row.state(),
            row.severity(),
            row.pointId(),
            row.cityId(),
            row.kind(),
            read(row.valuesJson(), Argument.mapOf(String.class, Double.class)),
            row.threshold(),
            row.message(),
            row.messageZh(),
            row.startedAt(),
            row.updatedAt(),
            row.originPoint(),
            row.originCity(),
            row.path() == null ? null : read(row.path(), Argument.listOf(String.class)),
            row.detectedAt(),
            row.delayed());
    return new StoredAlert(alert, row.acknowledgedBy(), row.acknowledgedAt());
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T read(String text, Argument<T> type) {
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
