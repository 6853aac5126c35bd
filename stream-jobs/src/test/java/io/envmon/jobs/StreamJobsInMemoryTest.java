package io.envmon.jobs;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.wire.KafkaTopics;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.DeadLetter;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RawRecord;
import io.envmon.jobs.ratio.RatioSettings;
import io.envmon.jobs.ratio.SharingRatioRecord;
import io.envmon.testsupport.ScaledClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline of {@link StreamJobs}, every job, in a MiniCluster with in-memory sources and
 * sinks: the scenarios of {@link StreamJobsIT} and {@link LiveOperationIT} in seconds, no servers.
 * Those ITs stay for the wiring (Kafka's sources, transactions and offsets, InfluxDB's points);
 * these tests cover the pipeline's logic.
 */
class StreamJobsInMemoryTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");

  private final String test = UUID.randomUUID().toString();
  private final List<Runnable> cleanUp = new ArrayList<>();
  private long offset;

  private final InMemorySink<DeadLetter> deadLetters = sink("dead letters");
  private final InMemorySink<AcceptedReading> readingStore = sink("readings stored");
  private final InMemorySink<Alert> alerts = sink("alerts");
  private final InMemorySink<Alert> alertHistory = sink("alert history");
  private final InMemorySink<SharingRatioRecord> ratios = sink("ratios");
  private final InMemorySink<SharingRatioRecord> ratioHistory = sink("ratio history");

  @AfterEach
  void forget() {
    // The job first, then what it reads and writes.
    for (int i = cleanUp.size() - 1; i >= 0; i--) {
      cleanUp.get(i).run();
    }
  }

  /**
   * StreamJobsIT's scenario. The input is bounded, as there: its end is a final watermark at the
   * end of time, which fires every timer left (each point's DEVICE_OFFLINE deadline, the minutes up
   * to the newest reading); so the outcome is checked per alert type, not as a whole.
   */
  @Test
  void aHeavyAirEpisodeInOneCityReachesTheOtherCityAndEveryJobWritesItsOutput() throws Exception {
    MonitoringPoint wujiang = air("wujiang", "wujiang-air-01");
    MonitoringPoint kunshan = air("kunshan", "kunshan-air-01");
    List<AcceptedReading> sent = new ArrayList<>();
    List<RawRecord> records = new ArrayList<>();
    for (int minute = 0; minute < 120; minute += 20) {
      Instant at = T0.plus(Duration.ofMinutes(minute));
      for (AcceptedReading accepted :
          List.of(
              reading(
                  "wujiang",
                  wujiang.id(),
                  PointKind.AIR,
                  at,
                  Measurement.valid(Parameter.PM25, 170 + minute % 40)),
              reading(
                  "kunshan",
                  kunshan.id(),
                  PointKind.AIR,
                  at,
                  Measurement.valid(Parameter.PM25, 20 + minute % 7)))) {
        sent.add(accepted);
        records.add(raw(accepted));
      }
    }
    byte[] cut = "{\"readingId\":".getBytes(StandardCharsets.UTF_8);
    RawRecord bad = new RawRecord(KafkaTopics.READINGS, 0, offset++, new byte[0], cut);
    records.add(bad);

    StreamExecutionEnvironment env = environment();
    jobs(listed(env, RawRecord.class, records), registry(env, wujiang, kunshan))
        .attach(
            env,
            ArrivalClock.defaults(),
            AlertSettings.defaults(List.of("wujiang", "kunshan")),
            RatioSettings.defaults("cluster", List.of("wujiang", "kunshan")));
    env.execute("in-memory-stream-jobs");

    List<Alert> published = alerts.received();
    assertThat(published)
        .filteredOn(a -> a.type() == AlertType.AIR_QUALITY)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pointId()).isEqualTo(wujiang.id());
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
            });
    assertThat(published)
        .filteredOn(a -> a.type() == AlertType.JOINT)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.cityId()).isEqualTo("kunshan");
              assertThat(a.originCityId()).isEqualTo("wujiang");
              assertThat(a.originPointId()).isEqualTo(wujiang.id());
            });
    assertThat(alertHistory.received()).containsExactlyInAnyOrderElementsOf(published);

    assertThat(readingStore.received())
        .extracting(r -> r.reading().readingId())
        .containsExactlyInAnyOrderElementsOf(
            sent.stream().map(r -> r.reading().readingId()).toList());
    assertThat(deadLetters.received())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.offset()).isEqualTo(bad.offset());
              assertThat(letter.payload()).isEqualTo(cut);
              assertThat(letter.reason()).isNotBlank();
            });

    List<SharingRatioRecord> rows = ratios.received();
    assertThat(rows)
        .filteredOn(r -> r.scope().equals("cluster"))
        .isNotEmpty()
        .anySatisfy(r -> assertThat(r.ratios().air().numerator()).isEqualTo(2));
    assertThat(ratioHistory.received()).containsExactlyInAnyOrderElementsOf(rows);
  }

  /**
   * LiveOperationIT's three hours, checked by the same {@link LiveOperation}, on a platform clock
   * that this test steps instead of one running 120 times faster than real time. At each step the
   * test sets the clock, waits until every sink has seen event time follow it (the quiet minutes
   * since the last step have passed: the watermark is the clock less the allowance), then sends
   * what the gateways send at that moment and waits until they are stored (they reached the jobs
   * while the clock still shows that moment). So every operator has seen that watermark before the
   * step's readings, as on a live platform whose readings come minutes apart, however slow this
   * machine is. The input never ends (an in-memory topic, not a list): an end would be a final
   * watermark that raises DEVICE_OFFLINE for every point and publishes minutes ahead of the
   * platform clock, so "nothing dated after the platform clock" and the exact set of offline alerts
   * would not mean what they mean live; the job is cancelled instead.
   */
  @Test
  void quietMinutesABackFillAndWrongClocksLeaveAlertsAndRatiosRight() throws Exception {
    LiveOperation scenario = new LiveOperation(T0);
    ScaledClock clock = ScaledClock.frozenAt(T0, 1);
    InMemoryTopic<RawRecord> readings =
        InMemoryTopic.create(test + "/readings", 2, RawRecord.class);
    cleanUp.add(readings::delete);

    StreamExecutionEnvironment env = environment();
    // Watermarks every 10 ms of real time: only how soon a step is done, not what it does.
    env.getConfig().setAutoWatermarkInterval(10);
    jobs(readings, registry(env, LiveOperation.POINTS.toArray(MonitoringPoint[]::new)))
        .attach(
            env,
            LiveOperation.arrivalClock(clock),
            LiveOperation.alertSettings(),
            LiveOperation.ratioSettings());
    JobClient job = env.executeAsync("in-memory-live-operation");
    cleanUp.add(() -> job.cancel().join());

    Map<String, Instant> newestBeforeBackFill = Map.of();
    int sent = 0;
    for (Instant t : scenario.steps()) {
      clock.freezeAt(t);
      // The quiet minutes since the last step pass: event time follows the clock (ArrivalClock).
      awaitEventTime(t);
      if (t.equals(scenario.reconnect())) {
        newestBeforeBackFill = newestRatioPerCity();
      }
      for (AcceptedReading accepted : scenario.readingsAt(t, clock.instant())) {
        readings.send(accepted.reading().pointId(), raw(accepted));
        sent++;
      }
      // They reach the jobs while the clock shows t (within the allowance, as live).
      awaitStored(sent, t);
    }
    scenario.checkRatiosKeptPace(newestBeforeBackFill);
    // The last readings are in every minute's ratio, and the last hour rated.
    Instant finished = scenario.end().plus(Duration.ofMinutes(30));
    clock.freezeAt(finished);
    awaitEventTime(finished);
    scenario.checkOutcome(alerts.received(), airNumerators(), finished);
  }

  /**
   * Waits until event time has reached the platform clock at {@code t} less the allowance at every
   * sink but the dead letters' (they come before event time): everything the jobs emit up to then
   * has been received. At the first step the jobs wait for readings (ArrivalClock's startup grace).
   */
  private void awaitEventTime(Instant t) {
    if (t.equals(T0)) {
      return;
    }
    long due = t.minus(LiveOperation.ALLOWANCE).toEpochMilli();
    await("event time at every sink at " + t + " on the platform clock")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                Stream.of(readingStore, alerts, alertHistory, ratios, ratioHistory)
                    .allMatch(sink -> sink.watermark() >= due));
  }

  private void awaitStored(int sent, Instant t) {
    await("the readings sent at " + t + " stored")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> readingStore.received().size() == sent);
  }

  private Map<String, Instant> newestRatioPerCity() {
    Map<String, Instant> newest = new HashMap<>();
    airNumerators().forEach((city, minutes) -> newest.put(city, minutes.lastKey()));
    return newest;
  }

  /** The newest row of each (city, minute): a correction overwrites, as in InfluxDB. */
  private Map<String, TreeMap<Instant, Integer>> airNumerators() {
    Map<String, TreeMap<Instant, Integer>> byCity = new LinkedHashMap<>();
    for (SharingRatioRecord row : ratios.received()) {
      byCity
          .computeIfAbsent(row.ratios().cityId(), city -> new TreeMap<>())
          .put(row.ratios().at(), row.ratios().air().numerator());
    }
    return byCity;
  }

  private StreamJobs jobs(Source<RawRecord, ?, ?> readings, Source<PointUpdate, ?, ?> points) {
    return new StreamJobs(
        readings, points, deadLetters, readingStore, alerts, alertHistory, ratios, ratioHistory);
  }

  private static StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    // Every record and watermark on to the next task at once (not within 100 ms): only how soon.
    env.setBufferTimeout(0);
    return env;
  }

  /**
   * The registry, read to its end at start: a bounded source, whose end is "caught up" ({@link
   * io.envmon.jobs.ingest.RegistryCatchUp}).
   */
  private static Source<PointUpdate, ?, ?> registry(
      StreamExecutionEnvironment env, MonitoringPoint... points) {
    List<PointUpdate> updates = new ArrayList<>();
    for (MonitoringPoint point : points) {
      updates.add(Points.update(point));
    }
    return listed(env, PointUpdate.class, updates);
  }

  /** A bounded source of {@code records}, Flink's own (what {@code env.fromData} uses). */
  private static <T> Source<T, ?, ?> listed(
      StreamExecutionEnvironment env, Class<T> type, List<T> records) {
    TypeInformation<T> info = TypeInformation.of(type);
    return new DataGeneratorSource<>(
        new FromElementsGeneratorFunction<>(info, env.getConfig(), records), records.size(), info);
  }

  /** The reading as {@code envmon.readings.v1} holds it. */
  private RawRecord raw(AcceptedReading accepted) {
    return new RawRecord(
        KafkaTopics.READINGS,
        0,
        offset++,
        accepted.reading().pointId().getBytes(StandardCharsets.UTF_8),
        AcceptedReadingJson.encode(accepted));
  }

  private <T> InMemorySink<T> sink(String role) {
    InMemorySink<T> sink = new InMemorySink<>(test + "/" + role);
    cleanUp.add(sink::delete);
    return sink;
  }
}
