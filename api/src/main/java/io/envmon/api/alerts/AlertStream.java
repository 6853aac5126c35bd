package io.envmon.api.alerts;

import io.envmon.api.security.Viewer;
import io.envmon.domain.alert.Alert;
import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The SSE stream of one subscriber: polls {@code alert_event} after the last id it sent (every
 * {@code envmon.alerts.stream-poll-interval}), keeps what the viewer may see, and names each event
 * by its sequence id so Last-Event-ID can resume it. JDBC runs on Reactor's bounded elastic
 * threads, never on the event loop.
 */
@Singleton
public class AlertStream {

  private static final int BATCH = 200;

  private final AlertStore store;
  private final AlertService alerts;
  private final AlertsConfiguration configuration;

  public AlertStream(AlertStore store, AlertService alerts, AlertsConfiguration configuration) {
    this.store = store;
    this.alerts = alerts;
    this.configuration = configuration;
  }

  public Flux<Event<AlertView>> subscribe(Viewer viewer, Optional<Long> lastEventId) {
    return Flux.defer(
            () -> {
              AtomicLong sent = new AtomicLong(lastEventId.orElseGet(store::lastEventId));
              return Flux.interval(
                      Duration.ZERO,
                      configuration.streamPollInterval(),
                      Schedulers.boundedElastic())
                  .onBackpressureDrop()
                  .concatMapIterable(tick -> nextEvents(viewer, sent), 1);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private List<Event<AlertView>> nextEvents(Viewer viewer, AtomicLong sent) {
    List<AlertEvent> events = store.eventsAfter(sent.get(), BATCH);
    if (events.isEmpty()) {
      return List.of();
    }
    sent.set(events.get(events.size() - 1).id());
    Predicate<Alert> visible = alerts.visibility(viewer);
    return events.stream()
        .filter(e -> visible.test(e.alert()))
        .map(
            e ->
                Event.of(AlertView.of(new StoredAlert(e.alert(), null, null)))
                    .id(Long.toString(e.id()))
                    .name(e.alert().state().name().toLowerCase(Locale.ROOT)))
        .toList();
  }
}
