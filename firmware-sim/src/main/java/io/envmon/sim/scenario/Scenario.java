package io.envmon.sim.scenario;

import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.station.Station;
import io.envmon.sim.station.WaterStation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A played scenario: stations with their protocols, environmental episodes and device faults, all
 * anchored at the virtual instant {@code start}. Deterministic: what a station sends at an instant
 * depends only on the scenario, the seed, the start and that instant (docs/simulator.md
 * "Scenarios").
 */
public final class Scenario {

  /** Air parameters a heavy-pollution episode raises (O3 is photochemical: left alone). */
  private static final Set<Parameter> POLLUTION_RAISED =
      EnumSet.of(Parameter.PM25, Parameter.PM10, Parameter.SO2, Parameter.NO2, Parameter.CO);

  private final String name;
  private final long seed;
  private final ZoneId zone;
  private final Instant start;
  private final Map<String, StationSpec> specs = new LinkedHashMap<>();
  private final Map<String, Station> stations = new LinkedHashMap<>();
  private final List<ScenarioEvent> episodes;
  private final List<Fault> faults;

  public Scenario(
      String name,
      long seed,
      ZoneId zone,
      Instant start,
      List<StationSpec> stationSpecs,
      List<ScenarioEvent> episodes,
      List<Fault> faults) {
    this.name = name;
    this.seed = seed;
    this.zone = zone;
    this.start = start;
    for (StationSpec spec : stationSpecs) {
      if (specs.put(spec.pointId(), spec) != null) {
        throw new IllegalArgumentException(
            "scenario " + name + ": station " + spec.pointId() + " twice");
      }
      stations.put(spec.pointId(), station(spec));
    }
    this.episodes = List.copyOf(episodes);
    this.faults = List.copyOf(faults);
    for (ScenarioEvent episode : episodes) {
      if (episode instanceof ScenarioEvent.Spill spill && !specs.containsKey(spill.origin())) {
        throw new IllegalArgumentException(
            "scenario " + name + ": spill origin " + spill.origin() + " is not a station");
      }
    }
  }

  private Station station(StationSpec spec) {
    return switch (spec.kind()) {
      case AIR -> new AirStation(spec.pointId(), spec.cityId(), zone, spec.interval(), seed);
      case WATER -> new WaterStation(spec.pointId(), spec.cityId(), zone, spec.interval(), seed);
      case NOISE ->
          new NoiseStation(
              spec.pointId(),
              spec.cityId(),
              zone,
              spec.zone() == null ? NoiseZone.Z2 : spec.zone(),
              spec.interval(),
              seed);
    };
  }

  public String name() {
    return name;
  }

  public long seed() {
    return seed;
  }

  public Instant start() {
    return start;
  }

  public List<StationSpec> stationSpecs() {
    return List.copyOf(specs.values());
  }

  public List<Station> stations() {
    return List.copyOf(stations.values());
  }

  public StationSpec spec(String pointId) {
    StationSpec spec = specs.get(pointId);
    if (spec == null) {
      throw new IllegalArgumentException("scenario " + name + " has no station " + pointId);
    }
    return spec;
  }

  public List<ScenarioEvent> episodes() {
    return episodes;
  }

  public List<Fault> faults() {
    return faults;
  }

  /**
   * What the station due at {@code at} sends; empty when it is silent then. The reading's id is
   * {@link Reading#idFor} of its (possibly skewed) observation time.
   */
  public Optional<Reading> emission(Station station, Instant at) {
    if (active(Fault.Outage.class, station.pointId(), at).isPresent()) {
      return Optional.empty();
    }
    return measured(station, at);
  }

  /**
   * What the station sends again at {@code at} before its live reading: when {@code at} is its
   * first due instant at or after the end of an {@link Fault.Outage}, the readings it measured
   * during the outage (at its due instants in {@code [from, until)}), oldest first and marked
   * back-filled; otherwise nothing.
   */
  public List<Reading> resent(Station station, Instant at) {
    List<Reading> history = new ArrayList<>();
    long interval = station.interval().toMillis();
    for (Fault fault : faults) {
      if (!(fault instanceof Fault.Outage outage)
          || !matches(outage.pointId(), station.pointId())) {
        continue;
      }
      Instant from = start.plus(outage.from());
      Instant until = start.plus(outage.until());
      if (at.isBefore(until) || !at.minusMillis(interval).isBefore(until)) {
        continue;
      }
      long first = Math.floorDiv(from.toEpochMilli() + interval - 1, interval) * interval;
      for (long due = first; due < until.toEpochMilli(); due += interval) {
        measured(station, Instant.ofEpochMilli(due))
            .map(
                r ->
                    new Reading(
                        r.readingId(),
                        r.pointId(),
                        r.observedAt(),
                        r.measurements(),
                        r.source(),
                        true))
            .ifPresent(history::add);
      }
    }
    return history;
  }

  private Optional<Reading> measured(Station station, Instant at) {
    String pointId = station.pointId();
    if (active(Fault.Silent.class, pointId, at).isPresent() || malformedAt(station, at)) {
      return Optional.empty();
    }
    Instant measuredAt =
        active(Fault.Stuck.class, pointId, at).map(f -> start.plus(f.from())).orElse(at);
    List<Measurement> measurements = measurements(station, measuredAt);
    Optional<Fault.Flagged> flagged = active(Fault.Flagged.class, pointId, at);
    if (flagged.isPresent()) {
      DataFlag flag = flagged.get().flag();
      measurements =
          measurements.stream().map(m -> new Measurement(m.parameter(), m.value(), flag)).toList();
    }
    Instant observedAt =
        active(Fault.ClockSkew.class, pointId, at).map(f -> at.plus(f.skew())).orElse(at);
    Reading reading =
        new Reading(
            Reading.idFor(pointId, observedAt),
            pointId,
            observedAt,
            measurements,
            spec(pointId).protocol().source());
    return Optional.of(reading);
  }

  /**
   * True when the station's reading due at {@code at} is replaced by a malformed packet (fault
   * {@link Fault.Malformed}): every {@code every}-th due instant from the fault's start.
   */
  public boolean malformedAt(Station station, Instant at) {
    return active(Fault.Malformed.class, station.pointId(), at)
        .map(
            f ->
                Duration.between(start.plus(f.from()), at).toMillis()
                        / station.interval().toMillis()
                        % f.every()
                    == 0)
        .orElse(false);
  }

  /** True when a {@link Fault.ReconnectStorm} falls in {@code (after, upTo]}. */
  public boolean reconnectStormBetween(Instant after, Instant upTo) {
    return faults.stream()
        .filter(Fault.ReconnectStorm.class::isInstance)
        .map(f -> start.plus(f.from()))
        .anyMatch(at -> at.isAfter(after) && !at.isAfter(upTo));
  }

  /** The station's values at {@code at} with every active episode applied. */
  public List<Measurement> measurements(Station station, Instant at) {
    List<Measurement> values = station.measure(at);
    for (ScenarioEvent episode : episodes) {
      if (episode instanceof ScenarioEvent.HeavyPollution pollution) {
        values = pollute(pollution, station, at, values);
      } else if (episode instanceof ScenarioEvent.Spill spill) {
        values = spill(spill, station, at, values);
      }
    }
    return values;
  }

  private List<Measurement> pollute(
      ScenarioEvent.HeavyPollution episode, Station station, Instant at, List<Measurement> values) {
    if (!episode.cities().contains(station.cityId())) {
      return values;
    }
    double weight = ramp(at, start.plus(episode.from()), episode.duration());
    if (weight == 0) {
      return values;
    }
    double factor = 1 + (episode.factor() - 1) * weight;
    return values.stream()
        .map(
            m ->
                POLLUTION_RAISED.contains(m.parameter())
                    ? new Measurement(m.parameter(), round(m.value() * factor, 1), m.flag())
                    : m)
        .toList();
  }

  /** 0 outside, 1 in the middle, linear over the first and last sixth. */
  private static double ramp(Instant at, Instant from, Duration duration) {
    long offset = Duration.between(from, at).toMillis();
    long length = duration.toMillis();
    if (offset < 0 || offset >= length) {
      return 0;
    }
    double edge = length / 6.0;
    return Math.min(1, Math.min((offset + 1) / edge, (length - offset) / edge));
  }

  private List<Measurement> spill(
      ScenarioEvent.Spill spill, Station station, Instant at, List<Measurement> values) {
    double added = spillIncrease(spill, station.pointId(), at);
    if (added == 0) {
      return values;
    }
    return values.stream()
        .map(
            m ->
                m.parameter() == spill.parameter()
                    ? new Measurement(m.parameter(), round(m.value() + added, 3), m.flag())
                    : m)
        .toList();
  }

  /**
   * How much the spill adds at a section at an instant: {@code peak × attenuation^hops} while the
   * spill passes it ({@code hops × travelTime} after it began at the origin), 0 otherwise and at
   * sections not downstream of the origin.
   */
  public double spillIncrease(ScenarioEvent.Spill spill, String pointId, Instant at) {
    Integer hops = hopsDownstream(spill.origin()).get(pointId);
    if (hops == null) {
      return 0;
    }
    Instant arrives = arrival(spill, pointId);
    if (at.isBefore(arrives) || !at.isBefore(arrives.plus(spill.duration()))) {
      return 0;
    }
    return spill.peak() * Math.pow(spill.attenuation(), hops);
  }

  /** When the spill reaches a section, or null if that section is not downstream of its origin. */
  public Instant arrival(ScenarioEvent.Spill spill, String pointId) {
    Integer hops = hopsDownstream(spill.origin()).get(pointId);
    return hops == null
        ? null
        : start.plus(spill.from()).plus(spill.travelTime().multipliedBy(hops));
  }

  /** Shortest number of downstream hops from {@code origin} to each section reached (origin 0). */
  public Map<String, Integer> hopsDownstream(String origin) {
    Map<String, Integer> hops = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    hops.put(origin, 0);
    queue.add(origin);
    while (!queue.isEmpty()) {
      String section = queue.poll();
      StationSpec spec = specs.get(section);
      if (spec == null) {
        continue;
      }
      for (String next : spec.downstream()) {
        if (!hops.containsKey(next)) {
          hops.put(next, hops.get(section) + 1);
          queue.add(next);
        }
      }
    }
    return hops;
  }

  private <F extends Fault> Optional<F> active(Class<F> type, String pointId, Instant at) {
    for (Fault fault : faults) {
      if (type.isInstance(fault)
          && matches(fault.pointId(), pointId)
          && !at.isBefore(start.plus(fault.from()))
          && (fault.until() == null || at.isBefore(start.plus(fault.until())))) {
        return Optional.of(type.cast(fault));
      }
    }
    return Optional.empty();
  }

  /** A fault's point: an id, {@code *} (every station) or a prefix ending in {@code *}. */
  static boolean matches(String pattern, String pointId) {
    return pattern.endsWith("*")
        ? pointId.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(pointId);
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** The stations grouped by city, in scenario order. */
  public Map<String, List<StationSpec>> byCity() {
    Map<String, List<StationSpec>> cities = new LinkedHashMap<>();
    for (StationSpec spec : specs.values()) {
      cities.computeIfAbsent(spec.cityId(), c -> new ArrayList<>()).add(spec);
    }
    return cities;
  }
}
