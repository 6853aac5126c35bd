package io.envmon.api.alerts;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * PostgreSQL's notices that {@code alert_event} grew ({@code NOTIFY alert_event} in the transaction
 * that inserts the row, delivered at its commit to every API replica): the SSE streams and the MQTT
 * publisher read at once instead of at their next poll, which stays as the fallback while the
 * listener reconnects. The one raw JDBC connection of the API (held from the pool): LISTEN and
 * {@code getNotifications} are PostgreSQL driver calls that Micronaut Data does not offer.
 */
@Singleton
public class AlertEventNotices implements ApplicationEventListener<ServerStartupEvent> {

  static final String CHANNEL = "alert_event";

  private static final Logger log = LoggerFactory.getLogger(AlertEventNotices.class);
  private static final Duration RECONNECT = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final Sinks.Many<Long> notices = Sinks.many().multicast().directBestEffort();
  private volatile boolean running;
  private Thread thread;

  public AlertEventNotices(DataSource dataSource, DataSourceResolver resolver) {
    // The pool itself: the injected DataSource hands out connections only inside a transaction.
    this.dataSource = resolver.resolve(dataSource);
  }

  /** A tick whenever events were committed (hot; nothing is replayed to a late subscriber). */
  public Flux<Long> notices() {
    return notices.asFlux();
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "alert-event-notices");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(5_000);
    }
  }

  private void run() {
    boolean failedBefore = false;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN " + CHANNEL);
        }
        if (!connection.getAutoCommit()) {
          connection.commit(); // LISTEN takes effect at commit
        }
        if (failedBefore) {
          log.info("Listening to PostgreSQL's {} notices again", CHANNEL);
          failedBefore = false;
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] received = postgres.getNotifications(1_000);
          if (received != null && received.length > 0) {
            notices.tryEmitNext(System.nanoTime());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (!failedBefore) {
          log.warn(
              "Not listening to PostgreSQL's {} notices ({}); SSE streams fall back to polling,"
                  + " retrying every {}",
              CHANNEL,
              e.toString(),
              RECONNECT);
          failedBefore = true;
        }
        try {
          Thread.sleep(RECONNECT.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }
}
