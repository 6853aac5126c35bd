package io.envmon.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.station.Station;
import io.envmon.sim.station.WaterStation;
import io.envmon.sim.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A simulation run")
class SimulationTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant START = Instant.parse("2025-11-21T00:00:30Z");

  /** Records what is sent; refuses the readings of one point, as a gateway would. */
  private static final class RecordingTransport implements Transport {
    final List<Reading> sent = new CopyOnWriteArrayList<>();
    final String refusedPoint;

    RecordingTransport(String refusedPoint) {
      this.refusedPoint = refusedPoint;
    }

    @Override
    public CompletableFuture<Void> send(Station station, Reading reading) {
      sent.add(reading);
      return station.pointId().equals(refusedPoint)
          ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
          : CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }

  private static final List<Station> STATIONS =
      List.of(
          new AirStation("wujiang-air-01", "wujiang", SHANGHAI, Duration.ofMinutes(1), 1),
          new AirStation("qingpu-air-01", "qingpu", SHANGHAI, Duration.ofMinutes(1), 1),
          new WaterStation("jiashan-water-01", "jiashan", SHANGHAI, Duration.ofHours(4), 1));

  private static RecordingTransport run(String refusedPoint) throws InterruptedException {
    RecordingTransport transport = new RecordingTransport(refusedPoint);
    Simulation simulation =
        new Simulation(
            STATIONS,
            transport,
            START,
            Duration.ofHours(8),
            Simulation.AS_FAST_AS_POSSIBLE,
            Clock.systemUTC());
    simulation.run(Duration.ofSeconds(5), progress -> {});
    return transport;
  }

  @Test
  void eachStationReportsAtEveryMultipleOfItsIntervalInTheRun() throws InterruptedException {
    RecordingTransport transport = run("none");
    // from 00:00:30 to 08:00:30: each minute 00:01 … 08:00 for air, 04:00 and 08:00 for water
    assertThat(transport.sent).filteredOn(r -> r.pointId().equals("wujiang-air-01")).hasSize(480);
    assertThat(transport.sent)
        .filteredOn(r -> r.pointId().equals("jiashan-water-01"))
        .extracting(Reading::observedAt)
        .containsExactly(
            Instant.parse("2025-11-21T04:00:00Z"), Instant.parse("2025-11-21T08:00:00Z"));
  }

  @Test
  void readingsAreSentInTimeOrderWithStableIds() throws InterruptedException {
    List<Reading> sent = run("none").sent;
    assertThat(sent).extracting(Reading::observedAt).isSorted();
    assertThat(sent.get(0).readingId())
        .isEqualTo(Reading.idFor(sent.get(0).pointId(), sent.get(0).observedAt()));
  }

  @Test
  void twoRunsWithTheSameSeedSendTheSameReadings() throws InterruptedException {
    assertThat(run("none").sent).isEqualTo(run("none").sent);
  }

  @Test
  void progressCountsAcknowledgedAndRefusedReadings() throws InterruptedException {
    RecordingTransport transport = new RecordingTransport("qingpu-air-01");
    Simulation simulation =
        new Simulation(
            STATIONS,
            transport,
            START,
            Duration.ofHours(1),
            Simulation.AS_FAST_AS_POSSIBLE,
            Clock.systemUTC());
    Progress progress = simulation.run(Duration.ofSeconds(5), p -> {});
    assertThat(progress.sent()).isEqualTo(120);
    assertThat(progress.acknowledged()).isEqualTo(60);
    assertThat(progress.failed()).isEqualTo(60);
    assertThat(progress.pending()).isZero();
  }

  @Test
  void liveNeverSendsAReadingBeforeItsObservationTime() throws InterruptedException {
    List<Instant> sentAt = new CopyOnWriteArrayList<>();
    List<Reading> sent = new CopyOnWriteArrayList<>();
    Transport transport =
        new Transport() {
          @Override
          public CompletableFuture<Void> send(Station station, Reading reading) {
            sentAt.add(Instant.now());
            sent.add(reading);
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public void close() {}
        };
    Instant start = Instant.now().minusSeconds(3);
    Station station =
        new AirStation("wujiang-air-01", "wujiang", SHANGHAI, Duration.ofSeconds(1), 1);
    Progress progress =
        new Simulation(
                List.of(station),
                transport,
                start,
                Duration.ofSeconds(5),
                Simulation.AS_FAST_AS_POSSIBLE,
                Clock.systemUTC())
            .withReadingMaker(
                (s, due) ->
                    due.getEpochSecond() % 2 == 0
                        ? java.util.Optional.empty()
                        : java.util.Optional.of(
                            new Reading(
                                Reading.idFor(s.pointId(), due),
                                s.pointId(),
                                due,
                                s.measure(due),
                                io.envmon.domain.reading.Source.COAP)))
            .live(true)
            .run(Duration.ofSeconds(5), p -> {});
    assertThat(progress.sent() + progress.withheld()).isEqualTo(5);
    assertThat(progress.withheld()).isBetween(2L, 3L);
    for (int i = 0; i < sent.size(); i++) {
      assertThat(sentAt.get(i)).isAfterOrEqualTo(sent.get(i).observedAt());
    }
    // The readings due in the past went at once, the later ones at their time.
    assertThat(sent).extracting(Reading::source).containsOnly(io.envmon.domain.reading.Source.COAP);
  }

  @Test
  @DisplayName("history to re-send goes before the due reading and is counted as sent")
  void resendsGoBeforeTheDueReading() throws InterruptedException {
    RecordingTransport transport = new RecordingTransport(null);
    Station station = STATIONS.get(2); // every 4 h
    Instant fourHours = Instant.parse("2025-11-21T04:00:00Z");
    Reading history =
        new Reading(
            Reading.idFor(station.pointId(), START),
            station.pointId(),
            START,
            station.measure(START),
            io.envmon.domain.reading.Source.HJ212,
            true);
    Progress progress =
        new Simulation(
                List.of(station),
                transport,
                START,
                Duration.ofHours(8),
                Simulation.AS_FAST_AS_POSSIBLE,
                Clock.systemUTC())
            .withResends((s, due) -> due.equals(fourHours) ? List.of(history) : List.of())
            .run(Duration.ofSeconds(5), p -> {});
    assertThat(transport.sent)
        .extracting(Reading::observedAt)
        .containsExactly(START, fourHours, Instant.parse("2025-11-21T08:00:00Z"));
    assertThat(transport.sent.get(0).backfilled()).isTrue();
    assertThat(transport.sent.get(1).backfilled()).isFalse();
    assertThat(progress.sent()).isEqualTo(3);
    assertThat(progress.acknowledged()).isEqualTo(3);
  }
}
