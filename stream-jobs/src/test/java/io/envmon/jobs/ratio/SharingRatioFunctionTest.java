package io.envmon.jobs.ratio;

import static io.envmon.jobs.Points.air;
import static io.envmon.jobs.Points.update;
import static io.envmon.jobs.Readings.arrivedAt;
import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.ratio.CityRatios;
import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import io.envmon.jobs.ingest.RegistryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharingRatioFunctionTest {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  private KeyedBroadcastOperatorTestHarness<String, AcceptedReading, RatioBroadcast, ClusterRatios>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new SharingRatioFunction(
                RatioSettings.defaults("yangtze-delta", List.of("wujiang", "kunshan"))),
            r -> "yangtze-delta",
            Types.STRING,
            RegistryState.POINTS,
            RegistryState.CITIES,
            SharingRatioFunction.MARKS);
    harness.processBroadcastElement(registry(air("wujiang", "wujiang-air-01")), 0);
    harness.processBroadcastElement(registry(air("wujiang", "wujiang-air-02")), 0);
    harness.processBroadcastElement(registry(air("kunshan", "kunshan-air-01")), 0);
    // As in production: the registry stream never holds event time back.
    harness.processBroadcastWatermark(Long.MAX_VALUE);
  }

  private static final Duration SETTLE = Duration.ofSeconds(30);

  private static RatioBroadcast registry(MonitoringPoint point) {
    return RatioBroadcast.of(update(point));
  }

  /** A bureau's mark of {@code point} over [from, to), of one parameter or (null) every value. */
  private void mark(
      long id, String point, Instant from, Instant to, Parameter parameter, Verdict verdict)
      throws Exception {
    harness.processBroadcastElement(
        RatioBroadcast.of(
            new ReviewMark(
                id,
                point,
                from,
                to,
                parameter,
                verdict,
                ReviewReason.INSTRUMENT_FAULT,
                null,
                from,
                "wujiang-bureau")),
        0);
  }

  /** Wujiang's air numerator at each published minute, as InfluxDB keeps it. */
  private Map<Instant, Integer> wujiangAir() {
    Map<Instant, Integer> numerators = new TreeMap<>();
    history().forEach((at, r) -> numerators.put(at, r.cities().get(0).air().numerator()));
    return numerators;
  }

  private static Map<Instant, Integer> minutes(int fromMinute, int toMinute, int numerator) {
    Map<Instant, Integer> expected = new TreeMap<>();
    for (int minute = fromMinute; minute <= toMinute; minute++) {
      expected.put(T0.plus(Duration.ofMinutes(minute)), numerator);
    }
    return expected;
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  @Test
  void anInvalidMarkTakesBackTheMinutesAReadingSupportedAndAValidMarkGivesThemBack()
      throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(10)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 10, 1));
    int published = harness.extractOutputValues().size();

    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    clock(T0.plus(Duration.ofMinutes(11)).plus(SETTLE));
    // The ten minutes again, lower, then minute 11.
    assertThat(harness.extractOutputValues()).hasSize(published + 10 + 1);
    assertThat(wujiangAir()).isEqualTo(minutes(1, 11, 0));

    mark(2, "wujiang-air-01", T0.plusSeconds(30), T0.plusSeconds(31), null, Verdict.VALID);
    clock(T0.plus(Duration.ofMinutes(12)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 12, 1));
  }

  @Test
  void aReadingArrivingInsideAnInvalidatedRangeDoesNotCountUntilTheRangeIsValidAgain()
      throws Exception {
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(10));
    mark(1, "wujiang-air-01", T0, T0.plus(Duration.ofHours(1)), null, Verdict.INVALID);
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(3)).plus(SETTLE));
    pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofMinutes(3)).plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(5)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 5, 0));

    mark(2, "wujiang-air-01", T0, T0.plus(Duration.ofHours(1)), null, Verdict.VALID);
    clock(T0.plus(Duration.ofMinutes(6)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 6, 1));
  }

  @Test
  void aMarkOfOneParameterKeepsTheReadingCountedWhileAnotherValueIsValid() throws Exception {
    AcceptedReading both =
        reading(
            "wujiang",
            "wujiang-air-01",
            PointKind.AIR,
            T0.plusSeconds(30),
            Measurement.valid(Parameter.PM25, 30),
            Measurement.valid(Parameter.PM10, 50));
    harness.processElement(both, both.receivedAt().toEpochMilli());
    clock(T0.plus(Duration.ofMinutes(3)).plus(SETTLE));
    int published = harness.extractOutputValues().size();

    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), Parameter.PM25, Verdict.INVALID);
    clock(T0.plus(Duration.ofMinutes(4)).plus(SETTLE));
    assertThat(harness.extractOutputValues()).as("no minute changed").hasSize(published + 1);
    assertThat(wujiangAir()).isEqualTo(minutes(1, 4, 1));

    mark(2, "wujiang-air-01", T0, T0.plusSeconds(60), Parameter.PM10, Verdict.INVALID);
    clock(T0.plus(Duration.ofMinutes(5)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 5, 0));
  }

  @Test
  void aMarkReadsOnlyItsPointsHoursWithinItsReach() throws Exception {
    for (int hour = 0; hour < 6; hour++) {
      pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofHours(hour)).plusSeconds(30));
      pm25("wujiang", "wujiang-air-02", T0.plus(Duration.ofHours(hour)).plusSeconds(30));
      pm25("kunshan", "kunshan-air-01", T0.plus(Duration.ofHours(hour)).plusSeconds(30));
    }
    clock(T0.plus(Duration.ofMinutes(3)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 3, 2));
    CountingMapState reads = countObservationReads();

    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    assertThat(reads.scans).as("no entry of the cluster iterated").isZero();
    assertThat(reads.keys).isNotEmpty().allMatch(key -> key.startsWith("wujiang-air-01@"));
    // Its reach: the mark's span and the longest window (water, 8 h) either side, up to the newest
    // reading (hour 5).
    assertThat(reads.keys).hasSizeLessThanOrEqualTo(8 + 1 + 5);
    clock(T0.plus(Duration.ofMinutes(4)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 4, 1));
  }

  @Test
  void aMarkKeepsTheCoverageOfAReadingOfAStationFarAheadOfItsGateway() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    // Observed 9 h ahead by the station's clock, received at T0 + 1 h: it covers from T0 + 1 h,
    // but is kept in the hour of its observation, past the mark's reach (to + the 8 h window).
    AcceptedReading ahead =
        arrivedAt(
            reading(
                "wujiang",
                "wujiang-air-01",
                PointKind.AIR,
                T0.plus(Duration.ofHours(9)),
                Measurement.valid(Parameter.PM25, 30)),
            T0.plus(Duration.ofHours(1)));
    harness.processElement(ahead, ahead.receivedAt().toEpochMilli());
    clock(T0.plus(Duration.ofMinutes(180)).plus(SETTLE));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 180, 1));

    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    clock(T0.plus(Duration.ofMinutes(181)).plus(SETTLE));
    Map<Instant, Integer> expected = minutes(1, 59, 0);
    expected.putAll(minutes(60, 180, 1));
    expected.putAll(minutes(181, 181, 0));
    assertThat(wujiangAir()).isEqualTo(expected);
  }

  /** The function's kept observations, from now on counting how they are read. */
  private CountingMapState countObservationReads() throws Exception {
    Object function =
        ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) harness.getOperator()).getUserFunction();
    var field = SharingRatioFunction.class.getDeclaredField("observations");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    CountingMapState counting =
        new CountingMapState((MapState<String, long[]>) field.get(function));
    field.set(function, counting);
    return counting;
  }

  /** A map state that records the keys read one by one and counts the iterations of it. */
  private static final class CountingMapState implements MapState<String, long[]> {
    private final MapState<String, long[]> state;
    final List<String> keys = new ArrayList<>();
    int scans;

    CountingMapState(MapState<String, long[]> state) {
      this.state = state;
    }

    @Override
    public long[] get(String key) throws Exception {
      keys.add(key);
      return state.get(key);
    }

    @Override
    public void put(String key, long[] value) throws Exception {
      state.put(key, value);
    }

    @Override
    public void putAll(Map<String, long[]> map) throws Exception {
      state.putAll(map);
    }

    @Override
    public void remove(String key) throws Exception {
      state.remove(key);
    }

    @Override
    public boolean contains(String key) throws Exception {
      keys.add(key);
      return state.contains(key);
    }

    @Override
    public Iterable<Map.Entry<String, long[]>> entries() throws Exception {
      scans++;
      return state.entries();
    }

    @Override
    public Iterable<String> keys() throws Exception {
      scans++;
      return state.keys();
    }

    @Override
    public Iterable<long[]> values() throws Exception {
      scans++;
      return state.values();
    }

    @Override
    public Iterator<Map.Entry<String, long[]>> iterator() throws Exception {
      scans++;
      return state.iterator();
    }

    @Override
    public boolean isEmpty() throws Exception {
      return state.isEmpty();
    }

    @Override
    public void clear() {
      state.clear();
    }
  }

  @Test
  void theMarksAndTheKeptReadingsComeBackFromACheckpoint() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(2)).plus(SETTLE));
    mark(1, "wujiang-air-01", T0, T0.plus(Duration.ofHours(1)), null, Verdict.INVALID);
    OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
    harness.close();

    harness =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new SharingRatioFunction(
                    RatioSettings.defaults("yangtze-delta", List.of("wujiang", "kunshan"))),
                List.of(RegistryState.POINTS, RegistryState.CITIES, SharingRatioFunction.MARKS)),
            r -> "yangtze-delta",
            Types.STRING,
            1,
            1,
            0);
    harness.initializeState(checkpoint);
    harness.open();
    harness.processBroadcastWatermark(Long.MAX_VALUE);
    pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofMinutes(3)));
    clock(T0.plus(Duration.ofMinutes(4)).plus(SETTLE));
    assertThat(wujiangAir()).as("the restored mark").isEqualTo(minutes(1, 4, 0));

    mark(2, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.VALID);
    clock(T0.plus(Duration.ofMinutes(5)).plus(SETTLE));
    // The restored reading at 00:00:30 counts again; the one at 00:03 stays invalidated.
    assertThat(wujiangAir()).isEqualTo(minutes(1, 5, 1));
  }

  @Test
  void stateOfTheEarlierVersionKeepsItsReadingsCountedAndFollowsMarksForNewOnes() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(2)).plus(SETTLE));
    // What a checkpoint of the version before review marks holds: coverage, no observations.
    var backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey("yangtze-delta");
    backend
        .getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new MapStateDescriptor<>(
                "observations",
                Types.STRING,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO))
        .clear();
    backend
        .getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            new ValueStateDescriptor<>("keeps-observations", Types.BOOLEAN))
        .clear();

    pm25("wujiang", "wujiang-air-02", T0.plus(Duration.ofMinutes(2)).plusSeconds(40));
    clock(T0.plus(Duration.ofMinutes(4)).plus(SETTLE));
    assertThat(wujiangAir())
        .isEqualTo(
            Map.of(
                T0.plusSeconds(60), 1,
                T0.plusSeconds(120), 1,
                T0.plusSeconds(180), 2,
                T0.plusSeconds(240), 2));

    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    mark(2, "wujiang-air-02", T0, T0.plus(Duration.ofHours(1)), null, Verdict.INVALID);
    clock(T0.plus(Duration.ofMinutes(5)).plus(SETTLE));
    // wujiang-air-01's reading came before the upgrade: it cannot be taken back.
    assertThat(wujiangAir()).isEqualTo(minutes(1, 5, 1));
  }

  @Test
  void aStationReportingEveryFewSecondsKeepsItsHourInChunksThatAMarkReadsWhole() throws Exception {
    // 360 readings in the hour: six chunks, none rewritten whole by the readings after it.
    for (int i = 0; i < 360; i++) {
      pm25("wujiang", "wujiang-air-01", T0.plusSeconds(10L * i));
    }
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(1_000)); // delivered again
    clock(T0.plus(Duration.ofMinutes(90)).plus(SETTLE));
    Map<String, long[]> chunks = new TreeMap<>();
    for (Map.Entry<String, long[]> e : observations().entries()) {
      chunks.put(e.getKey(), e.getValue());
    }
    assertThat(chunks).hasSize(6);
    assertThat(chunks.values())
        .allSatisfy(chunk -> assertThat(chunk).hasSize(2 * Observations.CHUNK_READINGS));
    assertThat(wujiangAir()).isEqualTo(minutes(1, 90, 1));

    // Every reading of the hour invalid but the one at 45:00, kept in the fifth chunk.
    mark(1, "wujiang-air-01", T0, T0.plus(Duration.ofHours(1)), null, Verdict.INVALID);
    mark(
        2,
        "wujiang-air-01",
        T0.plus(Duration.ofMinutes(45)),
        T0.plus(Duration.ofMinutes(45)).plusSeconds(1),
        null,
        Verdict.VALID);
    clock(T0.plus(Duration.ofMinutes(91)).plus(SETTLE));
    Duration window =
        RatioSettings.defaults("yangtze-delta", List.of()).windows().of(PointKind.AIR);
    Map<Instant, Integer> expected = minutes(1, 91, 0);
    for (Instant minute : expected.keySet()) {
      Instant from = T0.plus(Duration.ofMinutes(45));
      if (!minute.isBefore(from) && !minute.isAfter(from.plus(window))) {
        expected.put(minute, 1);
      }
    }
    assertThat(expected).containsValue(1);
    assertThat(wujiangAir()).isEqualTo(expected);
  }

  @SuppressWarnings("unchecked")
  private MapState<String, long[]> observations() throws Exception {
    Object function =
        ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) harness.getOperator()).getUserFunction();
    var field = SharingRatioFunction.class.getDeclaredField("observations");
    field.setAccessible(true);
    harness.getOperator().getKeyedStateBackend().setCurrentKey("yangtze-delta");
    return (MapState<String, long[]>) field.get(function);
  }

  @Test
  void theStateOfReadingsAndTheirMarksIsGoneAHorizonLater() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(40));
    clock(T0.plus(Duration.ofMinutes(2)).plus(SETTLE));
    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    assertThat(keyedStateEntries()).isGreaterThan(4);

    // Past the horizon, the longest freshness window (water, 8 h) and the hour of the readings.
    clock(T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(10)).plusSeconds(60));
    // Left: the minutes' bookkeeping (next, first, newest observed, keeps observations), nothing
    // per point or per reading.
    assertThat(keyedStateEntries()).isEqualTo(4);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
  }

  @Test
  void marksPastTheHorizonAreDroppedWithTheNextRegistryRecordWithoutANewMark() throws Exception {
    // Read from the topic's start before the first reading: no clock yet to judge them by.
    mark(1, "wujiang-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    mark(2, "kunshan-air-01", T0, T0.plusSeconds(60), null, Verdict.INVALID);
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofMinutes(2)).plus(SETTLE));
    assertThat(marksKept()).isEqualTo(2);

    clock(T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(10)));
    harness.processBroadcastElement(registry(air("kunshan", "kunshan-air-02")), 0);
    assertThat(marksKept()).isZero();
  }

  private int marksKept() throws Exception {
    int kept = 0;
    for (var ignored :
        harness
            .getOperator()
            .getOperatorStateBackend()
            .getBroadcastState(SharingRatioFunction.MARKS)
            .entries()) {
      kept++;
    }
    return kept;
  }

  /** Observed at {@code at}, received a second later, arriving on time. */
  private void pm25(String city, String point, Instant at) throws Exception {
    AcceptedReading r =
        reading(city, point, PointKind.AIR, at, Measurement.valid(Parameter.PM25, 30));
    harness.processElement(r, r.receivedAt().toEpochMilli());
  }

  /** Observed and received by the gateway at {@code at}, reaching the jobs whenever it is sent. */
  private void backFilled(String city, String point, Instant at) throws Exception {
    AcceptedReading r =
        arrivedAt(
            reading(city, point, PointKind.AIR, at, Measurement.valid(Parameter.PM25, 30)), at);
    harness.processElement(r, r.receivedAt().toEpochMilli());
  }

  /** The platform clock at {@code at}. */
  private void clock(Instant at) throws Exception {
    harness.processWatermark(at.toEpochMilli());
  }

  private ClusterRatios last() {
    List<ClusterRatios> out = harness.extractOutputValues();
    return out.get(out.size() - 1);
  }

  /** The newest row published for each minute, as InfluxDB keeps it (a correction overwrites). */
  private Map<Instant, ClusterRatios> history() {
    Map<Instant, ClusterRatios> byMinute = new HashMap<>();
    harness.extractOutputValues().forEach(r -> byMinute.put(r.cluster().at(), r));
    return byMinute;
  }

  @Test
  void eachMinuteGivesEveryCityAndTheClusterTheirRatiosOnceTheClockIsPastIt() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plusSeconds(60).plus(SETTLE).minusMillis(1));
    assertThat(harness.extractOutputValues()).isEmpty();
    clock(T0.plusSeconds(60).plus(SETTLE));

    ClusterRatios ratios = last();
    assertThat(ratios.cities())
        .extracting(CityRatios::cityId)
        .containsExactly("wujiang", "kunshan");
    CityRatios wujiang = ratios.cities().get(0);
    assertThat(wujiang.at()).isEqualTo(T0.plusSeconds(60));
    assertThat(wujiang.air().numerator()).isEqualTo(1);
    assertThat(wujiang.air().denominator()).isEqualTo(2);
    assertThat(wujiang.air().value()).isEqualTo(0.5);
    assertThat(wujiang.water().value()).isNull();
    assertThat(wujiang.score()).isNull();
    assertThat(wujiang.scoreNullReason()).isNotBlank();
    assertThat(ratios.cluster().air().numerator()).isEqualTo(1);
    assertThat(ratios.cluster().air().denominator()).isEqualTo(3);
  }

  @Test
  void aReadingObservedAfterTheMinuteDoesNotCountAtThatMinute() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plusSeconds(59));
    pm25("wujiang", "wujiang-air-02", T0.plusSeconds(70));
    clock(T0.plusSeconds(60).plus(SETTLE));
    clock(T0.plusSeconds(120).plus(SETTLE));

    List<ClusterRatios> out = harness.extractOutputValues();
    assertThat(out)
        .extracting(r -> r.cities().get(0).at())
        .containsExactly(T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(out.get(0).cities().get(0).air().numerator()).isEqualTo(1);
    assertThat(out.get(1).cities().get(0).air().numerator()).isEqualTo(2);
  }

  @Test
  void aPointAddedToTheRegistryChangesTheNextRatio() throws Exception {
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(30));
    clock(T0.plusSeconds(60).plus(SETTLE));
    assertThat(last().cities().get(1).air().value()).isEqualTo(1.0);

    harness.processBroadcastElement(registry(air("kunshan", "kunshan-air-02")), 0);
    clock(T0.plusSeconds(120).plus(SETTLE));

    assertThat(last().cities().get(1).air().denominator()).isEqualTo(2);
    assertThat(last().cities().get(1).air().value()).isEqualTo(0.5);
  }

  @Test
  void aPointThatStopsDeliveringLeavesTheNumeratorAfterTheFreshnessWindow() throws Exception {
    pm25("kunshan", "kunshan-air-01", T0.plusSeconds(30));
    clock(T0.plusSeconds(60).plus(SETTLE));
    pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofHours(2)).plusSeconds(40));
    clock(T0.plus(Duration.ofHours(2)).plusSeconds(60).plus(SETTLE));

    assertThat(last().cities().get(1).air().numerator()).isZero();
    assertThat(last().cities().get(0).air().numerator()).isEqualTo(1);
  }

  @Test
  void quietMinutesArePublishedOnTimeWithNoReadingAtAll() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    Instant now = T0.plus(Duration.ofMinutes(90));
    clock(now);

    // The newest ratio trails the clock by at most the settle time and a minute.
    Instant newest = last().cluster().at();
    assertThat(Duration.between(newest, now)).isLessThanOrEqualTo(SETTLE.plusMinutes(1));
    assertThat(last().cities().get(0).air().numerator()).isEqualTo(1);
  }

  @Test
  void aCitysBackFillCorrectsTheMinutesItCoversAndNothingElse() throws Exception {
    // wujiang reports live every 5 min for 3 h; kunshan's gateway is cut off from Kafka.
    for (int minute = 0; minute <= 180; minute += 5) {
      pm25("wujiang", "wujiang-air-01", T0.plus(Duration.ofMinutes(minute)));
      clock(T0.plus(Duration.ofMinutes(minute)).plusSeconds(2));
    }
    clock(T0.plus(Duration.ofMinutes(181)).plus(SETTLE));
    assertThat(history().values())
        .allSatisfy(r -> assertThat(r.cities().get(1).air().numerator()).isZero());
    Map<Instant, ClusterRatios> live = history();

    // The spool drains: kunshan's readings of the last 3 h arrive at once.
    for (int minute = 0; minute <= 180; minute += 5) {
      backFilled("kunshan", "kunshan-air-01", T0.plus(Duration.ofMinutes(minute)));
    }
    clock(T0.plus(Duration.ofMinutes(181)).plus(SETTLE).plusSeconds(1));

    Map<Instant, ClusterRatios> corrected = history();
    assertThat(corrected.keySet()).isEqualTo(live.keySet());
    for (Map.Entry<Instant, ClusterRatios> minute : corrected.entrySet()) {
      // Independent computation: kunshan-air-01 observed at every 5th minute from T0 on.
      boolean delivering = !minute.getKey().isBefore(T0);
      assertThat(minute.getValue().cities().get(1).air().numerator())
          .as("kunshan at %s", minute.getKey())
          .isEqualTo(delivering ? 1 : 0);
      assertThat(minute.getValue().cities().get(0))
          .as("wujiang at %s is untouched", minute.getKey())
          .isEqualTo(live.get(minute.getKey()).cities().get(0));
    }
  }

  @Test
  void aReadingBeyondTheLatenessHorizonIsNotCounted() throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofDays(8)));
    int published = harness.extractOutputValues().size();
    backFilled("kunshan", "kunshan-air-01", T0.plusSeconds(30));
    clock(T0.plus(Duration.ofDays(8)).plusSeconds(1));
    assertThat(harness.extractOutputValues()).hasSize(published);
  }

  @Test
  void aStationWhoseClockIsADayBehindCountsTodayNowhereAndRewritesNoEarlierMinute()
      throws Exception {
    pm25("wujiang", "wujiang-air-01", T0.plusSeconds(30));
    clock(T0.plusSeconds(60).plus(SETTLE));
    for (int minute = 5; minute <= 60; minute += 5) {
      Instant arrival = T0.plus(Duration.ofMinutes(minute));
      AcceptedReading behind =
          arrivedAt(
              reading(
                  "wujiang",
                  "wujiang-air-02",
                  PointKind.AIR,
                  arrival.minus(Duration.ofDays(1)),
                  Measurement.valid(Parameter.PM25, 30)),
              arrival);
      harness.processElement(behind, arrival.toEpochMilli());
      clock(arrival.plusSeconds(1));
    }

    assertThat(harness.extractOutputValues())
        .allSatisfy(
            r -> {
              assertThat(r.cluster().at()).isAfterOrEqualTo(T0.plusSeconds(60));
              assertThat(r.cities().get(0).air().numerator()).isEqualTo(1);
            });
  }
}
