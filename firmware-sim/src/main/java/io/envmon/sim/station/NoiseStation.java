package io.envmon.sim.station;

import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * An environmental-noise station reporting minute statistics that follow day and night traffic, a
 * few dB under its zone's limits (GB 3096-2008) on an ordinary day.
 */
public record NoiseStation(
    String pointId, String cityId, ZoneId zone, NoiseZone noiseZone, Duration interval, long seed)
    implements Station {

  @Override
  public PointKind kind() {
    return PointKind.NOISE;
  }

  @Override
  public List<Measurement> measure(Instant at) {
    double hour = Diurnal.localHour(at, zone);
    double traffic = Diurnal.traffic(hour);
    double quiet = noiseZone.nightLimitDbA() - 8;
    double busy = noiseZone.dayLimitDbA() - 2;
    double noise =
        2.5 * new Noise(Noise.seedFor(seed, pointId, "leq"), Duration.ofMinutes(9)).at(at);
    double leq = quiet + (busy - quiet) * traffic + noise;
    return List.of(
        Measurement.valid(Parameter.LEQ, AirStation.round1(leq)),
        Measurement.valid(Parameter.LMAX, AirStation.round1(leq + 14 + Math.abs(noise) * 2)),
        Measurement.valid(Parameter.L10, AirStation.round1(leq + 3)),
        Measurement.valid(Parameter.L50, AirStation.round1(leq - 2)),
        Measurement.valid(Parameter.L90, AirStation.round1(leq - 6)));
  }
}
