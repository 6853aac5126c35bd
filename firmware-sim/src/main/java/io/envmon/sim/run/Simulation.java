package io.envmon.sim.run;

import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.sim.station.Station;
import io.envmon.sim.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays stations against a transport on a virtual clock: each station reports at every multiple of
 * its interval between {@code start} and {@code start + duration}. With an acceleration of 60 an
 * hour of readings is sent in a minute; with {@link #AS_FAST_AS_POSSIBLE} the clock jumps to the
 * next due reading at once (load mode). Deterministic under the stations' seed: the same readings
 * are sent whatever the speed.
 */
public final class Simulation {

  /** Acceleration meaning: do not wait for the virtual clock at all. */
  public static final double AS_FAST_AS_POSSIBLE = 0;

  private final List<Station> stations;
  private final Transport transport;
  private final Instant start;
  private final Duration duration;
  private final double acceleration;
  private final Clock realClock;
  private final Progress progress = new Progress();
  private ReadingMaker readingMaker =
      (station, at) ->
          Optional.of(
              new Reading(
                  Reading.idFor(station.pointId(), at),
                  station.pointId(),
                  at,
                  station.measure(at),
                  Source.MQTT));
  private ResendMaker resendMaker = (station, at) -> List.of();
  private boolean live;

  /** What a station sends again at a due instant before its reading (history after an outage). */
  @FunctionalInterface
  public interface ResendMaker {
    List<Reading> resend(Station station, Instant due);
  }

  /** History to send again comes from {@code maker} (a scenario's outages). */
  public Simulation withResends(ResendMaker maker) {
    this.resendMaker = maker;
    return this;
  }

  /** What a station sends at a due instant; empty = nothing (a silent device). */
  @FunctionalInterface
  public interface ReadingMaker {
    Optional<Reading> make(Station station, Instant due);
  }

  /** Readings come from {@code maker} (a scenario) instead of the bare stations. */
  public Simulation withReadingMaker(ReadingMaker maker) {
    this.readingMaker = maker;
    return this;
  }

  /**
   * Live: no reading is sent before its due instant on the real clock, so an accelerated run that
   * started in the past catches up and then goes on at real pace (the demo).
   */
  public Simulation live(boolean live) {
    this.live = live;
    return this;
  }

  public Simulation(
      List<Station> stations,
      Transport transport,
      Instant start,
      Duration duration,
      double acceleration,
      Clock realClock) {
    if (acceleration < 0 || Double.isNaN(acceleration)) {
      throw new IllegalArgumentException("acceleration must be ≥ 0, was " + acceleration);
    }
    this.stations = List.copyOf(stations);
    this.transport = transport;
    this.start = start;
    this.duration = duration;
    this.acceleration = acceleration;
    this.realClock = realClock;
  }

  public Progress progress() {
    return progress;
  }

  /**
   * Sends every due reading, then waits up to {@code drainTimeout} for the outstanding
   * acknowledgements. {@code onProgress} is called about once a second of real time.
   */
  public Progress run(Duration drainTimeout, Consumer<Progress> onProgress)
      throws InterruptedException {
    record Due(Instant at, Station station) {}
    PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at));
    for (Station station : stations) {
      queue.add(new Due(firstDue(station), station));
    }
    Instant end = start.plus(duration);
    long realStart = realClock.millis();
    long lastReport = realStart;
    List<CompletableFuture<Void>> outstanding = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().at().isBefore(end)) {
      Due due = queue.poll();
      waitForVirtualTime(due.at(), realStart);
      send(due.station(), due.at(), outstanding);
      queue.add(new Due(due.at().plus(due.station().interval()), due.station()));
      long now = realClock.millis();
      if (now - lastReport >= 1000) {
        onProgress.accept(progress);
        lastReport = now;
        outstanding.removeIf(CompletableFuture::isDone);
      }
    }
    try {
      CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new))
          .get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // counted per send; a timeout leaves them pending in the figures
    }
    onProgress.accept(progress);
    return progress;
  }

  private Instant firstDue(Station station) {
    long intervalMillis = station.interval().toMillis();
    long startMillis = start.toEpochMilli();
    long aligned = Math.floorDiv(startMillis + intervalMillis - 1, intervalMillis) * intervalMillis;
    return Instant.ofEpochMilli(aligned);
  }

  private void waitForVirtualTime(Instant due, long realStartMillis) throws InterruptedException {
    long dueRealMillis = realClock.millis();
    if (acceleration != AS_FAST_AS_POSSIBLE) {
      dueRealMillis =
          realStartMillis + (long) (Duration.between(start, due).toMillis() / acceleration);
    }
    if (live) {
      dueRealMillis = Math.max(dueRealMillis, due.toEpochMilli());
    }
    long wait = dueRealMillis - realClock.millis();
    if (wait > 0) {
      Thread.sleep(wait); // pacing the virtual clock, not waiting for a condition
    }
  }

  private void send(Station station, Instant at, List<CompletableFuture<Void>> outstanding) {
    for (Reading history : resendMaker.resend(station, at)) {
      send(station, history, outstanding);
    }
    Optional<Reading> made = readingMaker.make(station, at);
    if (made.isEmpty()) {
      progress.withheld.increment();
      return;
    }
    send(station, made.get(), outstanding);
  }

  private void send(Station station, Reading reading, List<CompletableFuture<Void>> outstanding) {
    progress.sent.increment();
    CompletableFuture<Void> acknowledged =
        transport
            .send(station, reading)
            .whenComplete(
                (ok, failure) -> {
                  if (failure == null) {
                    progress.acknowledged.increment();
                  } else {
                    progress.failed.increment();
                  }
                });
    outstanding.add(acknowledged);
  }
}
