package io.envmon.jobs;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Readings.arrivedAt;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.ratio.FreshnessWindows;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.alert.TunedAlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ratio.RatioSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Three hours of live operation, played by the cities' gateways, and the invariants of issue 12
 * checked afterwards against an independent computation from the readings sent. Stations report
 * every 5 minutes with quiet minutes between; one station falls silent for an hour; kunshan's
 * gateway is cut off from Kafka for two hours and then drains its spool, with a PM2.5 episode
 * inside; jiaxing has stations whose clocks are 8 h ahead, 10 min ahead and a day behind.
 *
 * <p>Shared by {@link LiveOperationIT} (real Kafka and InfluxDB, a platform clock 120 times faster
 * than real time) and {@link StreamJobsInMemoryTest} (in memory, a platform clock stepped by the
 * test), which send the same readings at the same platform times and check the same outcome.
 */
final class LiveOperation {

  static final Duration STEP = Duration.ofMinutes(5);
  static final Duration AIR_WINDOW = Duration.ofMinutes(30);
  static final Duration ALLOWANCE = Duration.ofMinutes(2);
  static final Duration SETTLE = Duration.ofMinutes(2);
  static final List<String> CITIES = List.of("wujiang", "kunshan", "jiaxing");

  static final MonitoringPoint W1 = air("wujiang", "wujiang-air-01");
  static final MonitoringPoint W2 = air("wujiang", "wujiang-air-02"); // silent an hour
  static final MonitoringPoint K1 = air("kunshan", "kunshan-air-01"); // episode in backlog
  static final MonitoringPoint K2 = air("kunshan", "kunshan-air-02");
  static final MonitoringPoint J1 = air("jiaxing", "jiaxing-air-01");
  static final MonitoringPoint J2 = air("jiaxing", "jiaxing-air-02"); // a day behind
  static final MonitoringPoint J3 = air("jiaxing", "jiaxing-air-03"); // 8 h ahead
  static final MonitoringPoint J4 = air("jiaxing", "jiaxing-air-04"); // 10 min ahead
  static final List<MonitoringPoint> POINTS = List.of(W1, W2, K1, K2, J1, J2, J3, J4);

  private final Instant start;
  private final Instant cutOff;
  private final Instant reconnect;
  private final Instant end;
  private final List<AcceptedReading> sent = new ArrayList<>();
  private final List<AcceptedReading> spool = new ArrayList<>(); // kunshan's, cut off from Kafka

  /**
   * @param start a clock hour: the platform clock shows it while the jobs start
   */
  LiveOperation(Instant start) {
    this.start = start;
    this.cutOff = start.plus(Duration.ofMinutes(30));
    this.reconnect = start.plus(Duration.ofMinutes(150));
    this.end = start.plus(Duration.ofMinutes(185));
  }

  /** The platform times at which the gateways send, every {@link #STEP} from start to end. */
  List<Instant> steps() {
    List<Instant> steps = new ArrayList<>();
    for (Instant t = start; !t.isAfter(end); t = t.plus(STEP)) {
      steps.add(t);
    }
    return steps;
  }

  /** When kunshan's gateway is back and drains its spool (before that step's readings). */
  Instant reconnect() {
    return reconnect;
  }

  /** The last step. */
  Instant end() {
    return end;
  }

  /**
   * What the gateways send at step {@code t}, their arrival stamped {@code now} (the platform
   * clock): at reconnect kunshan's spool first, arrivals stamped when they were spooled.
   */
  List<AcceptedReading> readingsAt(Instant t, Instant now) {
    List<AcceptedReading> toSend = new ArrayList<>();
    if (t.equals(reconnect)) {
      toSend.addAll(spool);
      spool.clear();
    }
    int step = (int) (Duration.between(start, t).toMinutes() / STEP.toMinutes());
    double normal = 30 + step % 7;
    boolean w2Silent =
        !t.isBefore(start.plus(Duration.ofMinutes(20)))
            && t.isBefore(start.plus(Duration.ofMinutes(80)));
    boolean episode =
        !t.isBefore(start.plus(Duration.ofMinutes(60)))
            && t.isBefore(start.plus(Duration.ofMinutes(120)));
    boolean kunshanCutOff = !t.isBefore(cutOff) && t.isBefore(reconnect);
    toSend.add(station(W1, t, normal, now));
    if (!w2Silent) {
      toSend.add(station(W2, t, normal + 1, now));
    }
    for (AcceptedReading k :
        List.of(
            station(K1, t, episode ? 300 + step % 5 : normal, now), station(K2, t, normal, now))) {
      if (kunshanCutOff) {
        spool.add(k);
      } else {
        toSend.add(k);
      }
    }
    toSend.add(station(J1, t, normal, now));
    toSend.add(station(J2, t.minus(Duration.ofDays(1)), normal, now));
    toSend.add(station(J3, t.plus(Duration.ofHours(8)), normal, now));
    toSend.add(station(J4, t.plus(Duration.ofMinutes(10)), normal, now));
    sent.addAll(toSend);
    return toSend;
  }

  /** The jobs' platform clock settings: 2 min of transit allowance, quiet after 2 min. */
  static ArrivalClock arrivalClock(Clock clock) {
    return new ArrivalClock(ALLOWANCE, Duration.ofMinutes(2), Duration.ofMinutes(1), clock);
  }

  static AlertSettings alertSettings() {
    FreshnessWindows windows = windows();
    return TunedAlertSettings.of(CITIES)
        .freshness(windows.air(), windows.water(), windows.noise())
        .settle(SETTLE)
        .build();
  }

  static RatioSettings ratioSettings() {
    return RatioSettings.defaults("cluster", CITIES).withWindows(windows()).withSettle(SETTLE);
  }

  private static FreshnessWindows windows() {
    return new FreshnessWindows(AIR_WINDOW, Duration.ofHours(8), Duration.ofHours(2));
  }

  /** Every city's ratio kept pace while kunshan was cut off. */
  void checkRatiosKeptPace(Map<String, Instant> newestBeforeBackFill) {
    for (String city : CITIES) {
      assertThat(newestBeforeBackFill.get(city))
          .as("newest %s ratio published before kunshan's back-fill", city)
          .isAfterOrEqualTo(reconnect.minus(ALLOWANCE).minus(SETTLE).minus(Duration.ofMinutes(6)));
    }
  }

  /**
   * The outcome, once the platform clock is {@code finished} (at least 30 min after the last step)
   * and the jobs have published up to it: the alerts in the order published, the air numerator of
   * every city's newest row of each minute.
   */
  void checkOutcome(
      List<Alert> alerts, Map<String, TreeMap<Instant, Integer>> airNumerators, Instant finished) {
    checkOneActiveAlertPerPointAndTypeAtEveryMoment(alerts);
    assertThat(alerts)
        .as("nothing dated after the platform clock")
        .allSatisfy(
            a -> {
              assertThat(a.startedAt()).isBeforeOrEqualTo(finished);
              assertThat(a.updatedAt()).isBeforeOrEqualTo(finished);
              assertThat(a.detectedAt()).isBeforeOrEqualTo(finished);
            });

    List<Alert> offline =
        alerts.stream().filter(a -> a.type() == AlertType.DEVICE_OFFLINE).toList();
    assertThat(offline)
        .extracting(Alert::pointId, Alert::state)
        .containsExactlyInAnyOrder(
            tuple(W2.id(), AlertState.RAISED),
            tuple(W2.id(), AlertState.CLEARED),
            tuple(K1.id(), AlertState.RAISED),
            tuple(K1.id(), AlertState.CLEARED),
            tuple(K2.id(), AlertState.RAISED),
            tuple(K2.id(), AlertState.CLEARED));
    assertThat(offline)
        .filteredOn(a -> a.pointId().equals(K1.id()) && a.state() == AlertState.CLEARED)
        .singleElement()
        .satisfies(a -> assertThat(a.values()).containsEntry("dataGapMinutes", 5.0));

    List<Alert> air = alerts.stream().filter(a -> a.type() == AlertType.AIR_QUALITY).toList();
    assertThat(air).extracting(Alert::pointId).containsOnly(K1.id());
    assertThat(air).extracting(Alert::state).containsExactly(AlertState.RAISED, AlertState.CLEARED);
    Alert raised = air.get(0);
    assertThat(raised.delayed()).as("found in the back-fill: delayed").isTrue();
    assertThat(raised.startedAt()).isEqualTo(start.plus(Duration.ofMinutes(120)));
    assertThat(raised.detectedAt()).isAfterOrEqualTo(reconnect.minus(ALLOWANCE));
    assertThat(raised.messageZh()).contains("迟到数据");
    assertThat(alerts)
        .filteredOn(a -> a.type() == AlertType.JOINT)
        .extracting(Alert::cityId)
        .containsOnly("wujiang", "jiaxing");
    assertThat(alerts)
        .extracting(Alert::type)
        .containsOnly(AlertType.DEVICE_OFFLINE, AlertType.AIR_QUALITY, AlertType.JOINT);

    // Every minute's ratio equals an independent computation from the readings sent.
    int checked = 0;
    for (String city : CITIES) {
      TreeMap<Instant, Integer> byMinute = airNumerators.get(city);
      assertThat(byMinute.lastKey())
          .as(
              "newest %s ratio trails the platform clock by at most allowance + settle + 6 min",
              city)
          .isAfterOrEqualTo(finished.minus(ALLOWANCE).minus(SETTLE).minus(Duration.ofMinutes(6)));
      for (Map.Entry<Instant, Integer> minute : byMinute.tailMap(start).entrySet()) {
        if (minute.getKey().isAfter(end.plus(AIR_WINDOW))) {
          continue;
        }
        assertThat(minute.getValue())
            .as("%s air numerator at %s", city, minute.getKey())
            .isEqualTo(expectedNumerator(city, minute.getKey()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(3 * 150);
  }

  /** CLUSTER-shared ACTIVE points of {@code city} with a valid reading observed in the window. */
  private int expectedNumerator(String city, Instant at) {
    Instant since = at.minus(AIR_WINDOW);
    return (int)
        sent.stream()
            .filter(r -> r.cityId().equals(city))
            .filter(
                r -> !r.credibleObservedAt().isBefore(since) && !r.credibleObservedAt().isAfter(at))
            .map(r -> r.reading().pointId())
            .distinct()
            .count();
  }

  private static void checkOneActiveAlertPerPointAndTypeAtEveryMoment(List<Alert> alerts) {
    Map<String, String> activeByPointAndType = new HashMap<>();
    for (Alert alert : alerts) {
      String key = alert.pointId() + "|" + alert.type() + "|" + alert.cityId();
      String active = activeByPointAndType.get(key);
      if (alert.state() == AlertState.CLEARED) {
        activeByPointAndType.remove(key, alert.alertId());
      } else {
        assertThat(active).as("another active alert of %s", key).isIn(null, alert.alertId());
        activeByPointAndType.put(key, alert.alertId());
      }
    }
  }

  private static AcceptedReading station(
      MonitoringPoint point, Instant observedAt, double pm25, Instant receivedAt) {
    return arrivedAt(
        reading(
            point.cityId(),
            point.id(),
            PointKind.AIR,
            observedAt,
            Measurement.valid(Parameter.PM25, pm25),
            Measurement.valid(Parameter.PM10, pm25 * 1.5)),
        receivedAt);
  }
}
