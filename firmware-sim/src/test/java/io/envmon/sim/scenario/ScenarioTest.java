package io.envmon.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.sim.station.Station;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  private final Scenario demo = load("demo-cluster", null);

  private static Scenario load(String name, Long seed) {
    try {
      return ScenarioFile.load(name, START, seed);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Station station(String pointId) {
    return demo.stations().stream().filter(s -> s.pointId().equals(pointId)).findFirst().get();
  }

  private double value(String pointId, Instant at, Parameter parameter) {
    return demo.emission(station(pointId), at).orElseThrow().measurement(parameter).get().value();
  }

  private ScenarioEvent.Spill spill() {
    return demo.episodes().stream()
        .filter(ScenarioEvent.Spill.class::isInstance)
        .map(ScenarioEvent.Spill.class::cast)
        .findFirst()
        .get();
  }

  @Test
  void theDemoClusterHasEveryProtocolInEveryCityAndNoPlannedPoint() {
    assertThat(demo.byCity()).containsOnlyKeys("qingpu", "wujiang", "jiashan");
    demo.byCity()
        .forEach(
            (city, specs) ->
                assertThat(specs)
                    .extracting(StationSpec::protocol)
                    .as(city)
                    .contains(Protocol.MQTT, Protocol.HJ212)
                    .containsAnyOf(Protocol.COAP, Protocol.COAPS));
    assertThat(demo.stationSpecs())
        .extracting(StationSpec::pointId)
        .doesNotContain("qingpu-air-02", "jiashan-noise-01");
    assertThat(demo.spec("wujiang-air-02").protocol()).isEqualTo(Protocol.COAPS);
  }

  @Test
  void theSpillReachesEachDownstreamSectionOneTravelTimePerHopLater() {
    ScenarioEvent.Spill spill = spill();
    Instant begins = START.plus(spill.from());
    Duration travel = spill.travelTime();
    assertThat(demo.arrival(spill, "wujiang-water-taipu-01")).isEqualTo(begins);
    assertThat(demo.arrival(spill, "wujiang-water-taipu-02")).isEqualTo(begins.plus(travel));
    assertThat(demo.arrival(spill, "jiashan-water-taipu-01"))
        .isEqualTo(begins.plus(travel.multipliedBy(2)));
    assertThat(demo.arrival(spill, "qingpu-water-dianshan-01")).isNull();

    // Section B (one hop down) is clean just before the arrival and polluted from it on.
    Instant arrivesAtB = begins.plus(travel);
    double before = value("wujiang-water-taipu-02", arrivesAtB.minusSeconds(1), Parameter.NH3N);
    double at = value("wujiang-water-taipu-02", arrivesAtB, Parameter.NH3N);
    assertThat(before).isLessThan(1.0);
    assertThat(at).isGreaterThan(2.0); // worse than class V (GB 3838-2002: NH3-N ≤ 2.0)
    assertThat(demo.spillIncrease(spill, "wujiang-water-taipu-02", arrivesAtB))
        .isEqualTo(spill.peak() * spill.attenuation());
    // It passes: duration later the section is back to its ordinary values.
    assertThat(value("wujiang-water-taipu-02", arrivesAtB.plus(spill.duration()), Parameter.NH3N))
        .isLessThan(1.0);
    // Only the spilled parameter changes.
    assertThat(value("wujiang-water-taipu-02", arrivesAtB, Parameter.PH))
        .isEqualTo(station("wujiang-water-taipu-02").measure(arrivesAtB).get(0).value());
    // Not upstream: the origin's upstream neighbours and other rivers see nothing.
    assertThat(demo.spillIncrease(spill, "qingpu-water-dianshan-01", arrivesAtB)).isZero();
  }

  @Test
  void heavyPollutionRaisesParticulatesOfTheCitiesOnlyDuringTheEpisode() {
    Station air = station("qingpu-air-01");
    Instant middle = START.plus(Duration.ofHours(12));
    Instant beforeEpisode = START.plus(Duration.ofMinutes(30));
    double raw = air.measure(middle).get(0).value();
    assertThat(air.measure(middle).get(0).parameter()).isEqualTo(Parameter.PM25);
    assertThat(value("qingpu-air-01", middle, Parameter.PM25)).isCloseTo(raw * 3.5, within(0.1));
    assertThat(value("qingpu-air-01", beforeEpisode, Parameter.PM25))
        .isEqualTo(air.measure(beforeEpisode).get(0).value());
    assertThat(value("qingpu-air-01", middle, Parameter.O3))
        .isEqualTo(
            air.measure(middle).stream()
                .filter(m -> m.parameter() == Parameter.O3)
                .findFirst()
                .get()
                .value());
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }

  @Test
  void aSilentDeviceSendsNothingFromItsFaultOn() {
    Station silent = station("jiashan-air-02");
    assertThat(demo.emission(silent, START.plus(Duration.ofMinutes(179)))).isPresent();
    assertThat(demo.emission(silent, START.plus(Duration.ofHours(3)))).isEmpty();
    assertThat(demo.emission(silent, START.plus(Duration.ofDays(3)))).isEmpty();
  }

  @Test
  void aStuckDeviceRepeatsItsValuesUntilRepaired() {
    Station stuck = station("wujiang-noise-01");
    Instant from = START.plus(Duration.ofHours(4));
    List<Measurement> first = demo.emission(stuck, from).get().measurements();
    Reading later = demo.emission(stuck, from.plus(Duration.ofMinutes(37))).get();
    assertThat(later.measurements()).isEqualTo(first);
    assertThat(later.observedAt()).isEqualTo(from.plus(Duration.ofMinutes(37)));
    assertThat(demo.emission(stuck, START.plus(Duration.ofHours(5))).get().measurements())
        .isNotEqualTo(first);
  }

  @Test
  void faultFlagsAndClockSkewComeFromTheFile() throws Exception {
    String json =
        """
        {"name":"faults","seed":7,"stations":[
          {"point":"a-air-01","city":"a","kind":"AIR","protocol":"COAPS","interval":"PT1M"}],
         "faults":[
          {"type":"flag","point":"a-*","from":"PT10M","until":"PT20M","flag":"M"},
          {"type":"clock-skew","point":"*","from":"PT30M","skew":"PT7M"}]}
        """;
    Scenario scenario = ScenarioFile.parse(new ObjectMapper().readTree(json), START, null);
    Station station = scenario.stations().get(0);
    assertThat(scenario.spec("a-air-01").deviceId()).isEqualTo("a-air-01");
    Reading flagged = scenario.emission(station, START.plus(Duration.ofMinutes(10))).get();
    assertThat(flagged.measurements()).extracting(Measurement::flag).containsOnly(DataFlag.M);
    assertThat(flagged.source()).isEqualTo(Source.COAPS);
    assertThat(scenario.emission(station, START.plus(Duration.ofMinutes(20))).get().measurements())
        .extracting(Measurement::flag)
        .containsOnly(DataFlag.N);
    Instant due = START.plus(Duration.ofMinutes(40));
    Reading skewed = scenario.emission(station, due).get();
    assertThat(skewed.observedAt()).isEqualTo(due.plus(Duration.ofMinutes(7)));
    assertThat(skewed.readingId())
        .isEqualTo(Reading.idFor("a-air-01", due.plus(Duration.ofMinutes(7))));
  }

  @Test
  void anOutageWithholdsTheReadingsAndTheFirstDueInstantAfterItResendsThemBackfilled() {
    Station station = station("jiashan-water-taipu-01"); // hourly; outage [3 h, 5 h)
    Instant three = START.plus(Duration.ofHours(3));
    Instant four = START.plus(Duration.ofHours(4));
    Instant five = START.plus(Duration.ofHours(5));
    assertThat(demo.emission(station, three.minus(Duration.ofHours(1)))).isPresent();
    assertThat(demo.emission(station, three)).isEmpty();
    assertThat(demo.emission(station, four)).isEmpty();
    assertThat(demo.resent(station, four)).isEmpty();
    List<Reading> resent = demo.resent(station, five);
    assertThat(resent).extracting(Reading::observedAt).containsExactly(three, four);
    assertThat(resent).allMatch(Reading::backfilled);
    // the history is what the station measured then, spill included
    assertThat(resent.get(1).measurements()).isEqualTo(demo.measurements(station, four));
    assertThat(resent.get(0).readingId()).isEqualTo(Reading.idFor(station.pointId(), three));
    Reading live = demo.emission(station, five).orElseThrow();
    assertThat(live.backfilled()).isFalse();
    assertThat(demo.resent(station, five.plus(Duration.ofHours(1)))).isEmpty();
    // other stations are not affected
    assertThat(demo.resent(station("wujiang-water-taipu-01"), five)).isEmpty();
  }

  @Test
  void theDemoSpeaksEveryHj212Edition() {
    assertThat(demo.spec("qingpu-water-taipu-01").hj212Version())
        .isEqualTo(Hj212Version.HJT_212_2005);
    assertThat(demo.spec("wujiang-water-taipu-02").hj212Version())
        .isEqualTo(Hj212Version.HJ_212_2017);
    assertThat(demo.spec("wujiang-water-taipu-01").hj212Version())
        .isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(demo.spec("jiashan-water-taipu-01").hj212Version())
        .isEqualTo(Hj212Version.HJ_212_2025);
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(
            () ->
                ScenarioFile.parse(
                    json.readTree(
                        "{\"name\":\"x\",\"stations\":[{\"point\":\"p\",\"city\":\"c\",\"kind\":\"WATER\",\"protocol\":\"HJ212\",\"interval\":\"PT1H\",\"hj212\":\"2020\"}]}"),
                    START,
                    null))
        .hasMessageContaining("station p: bad hj212 '2020 (expected 2005, 2017 or 2025)'");
    assertThatThrownBy(
            () ->
                ScenarioFile.parse(
                    json.readTree(
                        "{\"name\":\"x\",\"stations\":[{\"point\":\"p\",\"city\":\"c\",\"kind\":\"WATER\",\"protocol\":\"HJ212\",\"interval\":\"PT1H\"}],"
                            + "\"faults\":[{\"type\":\"outage\",\"point\":\"p\",\"from\":\"PT1H\"}]}"),
                    START,
                    null))
        .hasMessageContaining("fault outage of p: 'until' is missing");
  }

  @Test
  void theSameSeedGivesTheSameReadingsAndAnotherSeedOthers() {
    Scenario again = load("demo-cluster", null);
    Scenario other = load("demo-cluster", 43L);
    Instant at = START.plus(Duration.ofHours(7));
    Station station = station("wujiang-air-01");
    Optional<Reading> one = demo.emission(station, at);
    assertThat(again.emission(again.stations().get(demo.stations().indexOf(station)), at))
        .isEqualTo(one);
    assertThat(other.emission(other.stations().get(demo.stations().indexOf(station)), at))
        .isNotEqualTo(one);
  }

  @Test
  void mistakesInAFileAreNamed() {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(
            () ->
                ScenarioFile.parse(
                    json.readTree(
                        "{\"name\":\"x\",\"stations\":[{\"point\":\"p\",\"city\":\"c\",\"kind\":\"AIR\",\"protocol\":\"CARRIER_PIGEON\",\"interval\":\"PT1M\"}]}"),
                    START,
                    null))
        .hasMessageContaining("station p: bad protocol 'CARRIER_PIGEON'");
    assertThatThrownBy(
            () ->
                ScenarioFile.parse(
                    json.readTree(
                        "{\"name\":\"x\",\"stations\":[{\"point\":\"p\",\"city\":\"c\",\"kind\":\"WATER\",\"protocol\":\"HJ212\",\"interval\":\"PT1H\"}],"
                            + "\"episodes\":[{\"type\":\"spill\",\"origin\":\"q\",\"from\":\"PT1H\",\"duration\":\"PT1H\",\"peak\":2,\"travelTime\":\"PT1H\"}]}"),
                    START,
                    null))
        .hasMessageContaining("spill origin q is not a station");
    assertThatThrownBy(() -> ScenarioFile.load("no-such-scenario", START, null))
        .hasMessageContaining("no scenario 'no-such-scenario'");
  }
}
