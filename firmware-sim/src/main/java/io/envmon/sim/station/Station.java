package io.envmon.sim.station;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Simulated firmware of one automatic station: what it measures at an instant. Deterministic: the
 * same seed, point and instants give the same values, whatever the order of calls or the speed of
 * the run.
 */
public sealed interface Station permits AirStation, WaterStation, NoiseStation {

  String pointId();

  String cityId();

  PointKind kind();

  /** How often the station reports: minutes for air and noise, hours for water. */
  Duration interval();

  List<Measurement> measure(Instant at);
}
