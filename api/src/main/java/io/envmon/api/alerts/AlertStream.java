package io.envmon.api.alerts;

import io.envmon.api.security.CurrentUserClaimsValidator;
import io.envmon.api.security.Viewer;
import io.envmon.domain.alert.Alert;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.sse.Event;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The SSE stream of one subscriber: reads {@code alert_event} after the last id it sent when
 * PostgreSQL notices new events ({@link AlertEventNotices}) and every {@code
 * envmon.alerts.stream-poll-interval} (the fallback), keeps what the viewer may see, and names each
 * event by its sequence id so Last-Event-ID can resume it. Acknowledgements are events too ({@code
 * acknowledged}). Every {@code envmon.alerts.stream-heartbeat-interval} a comment line {@code :
 * heartbeat} keeps proxies from closing an idle stream (clients ignore it). JDBC runs on Reactor's
 * bounded elastic threads, never on the event loop.
 */
@Singleton
public class AlertStream {

  /** The comment of a heartbeat; an event with empty data is written as the comment alone. */
  public static final String HEARTBEAT = "heartbeat";

  private static final int BATCH = 200;

  private final AlertStore store;
  private final AlertEventNotices notices;
  private final AlertService alerts;
  private final AlertsConfiguration configuration;
  private final CurrentUserClaimsValidator users;
  private final Duration recheckInterval;

  public AlertStream(
      AlertStore store,
      AlertEventNotices notices,
      AlertService alerts,
      AlertsConfiguration configuration,
      CurrentUserClaimsValidator users,
      @Value("${envmon.security.user-recheck-interval:2s}") Duration recheckInterval) {
    this.users = users;
    this.recheckInterval = recheckInterval;
    this.store = store;
    this.notices = notices;
    this.alerts = alerts;
    this.configuration = configuration;
  }

  /**
   * The viewer's events; the stream ends within {@code envmon.security.user-recheck-interval} when
   * the user is deleted, demoted or given a new password ({@link CurrentUserClaimsValidator}).
   */
  public Flux<Event<Object>> subscribe(
      Authentication authentication, Viewer viewer, Optional<Long> lastEventId) {
    Flux<Event<Object>> events =
        Flux.defer(
                () -> {
                  AtomicLong sent = new AtomicLong(lastEventId.orElseGet(store::lastEventId));
                  return Flux.merge(
                          Flux.interval(
                              Duration.ZERO,
                              configuration.streamPollInterval(),
                              Schedulers.boundedElastic()),
                          notices.notices().publishOn(Schedulers.boundedElastic()))
                      .onBackpressureDrop()
                      .concatMap(tick -> eventsSince(viewer, sent), 1);
                })
            .subscribeOn(Schedulers.boundedElastic());
    Duration heartbeat = configuration.streamHeartbeatInterval();
    Flux<Event<Object>> heartbeats =
        Flux.interval(heartbeat, heartbeat, Schedulers.parallel())
            .onBackpressureDrop()
            .map(tick -> Event.<Object>of("").comment(HEARTBEAT));
    Flux<Long> revoked =
        Flux.interval(recheckInterval, recheckInterval, Schedulers.boundedElastic())
            .onBackpressureDrop()
            .filter(tick -> !users.stillHolds(authentication))
            .take(1);
    return Flux.merge(events, heartbeats).takeUntilOther(revoked);
  }

  /**
   * Every event after {@code sent} that the viewer may see, read {@value #BATCH} at a time as the
   * client takes them, until the newest: a tick catches up however far behind the stream is (a
   * reconnect with an old Last-Event-ID, a whole poll of the consumer committed at once).
   */
  private Flux<Event<Object>> eventsSince(Viewer viewer, AtomicLong sent) {
    Predicate<Alert> visible = alerts.visibility(viewer);
    return Flux.<List<AlertEvent>>generate(
            sink -> {
              List<AlertEvent> events = store.eventsAfter(sent.get(), BATCH);
              if (!events.isEmpty()) {
                sent.set(events.get(events.size() - 1).id());
                sink.next(events);
              }
              if (events.size() < BATCH) {
                sink.complete();
              }
            })
        .concatMapIterable(events -> events)
        .filter(e -> visible.test(e.alert()))
        .map(
            e ->
                Event.<Object>of(
                        e.view().acknowledgeableBy(alerts.mayAcknowledge(viewer, e.alert())))
                    .id(Long.toString(e.id()))
                    .name(e.name()));
  }
}
