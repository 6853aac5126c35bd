package io.envmon.sim.station;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A river-section water station reporting every few hours: slow dynamics around class II–III values
 * (GB 3838-2002), DO rising with afternoon photosynthesis and falling at night.
 */
public record WaterStation(String pointId, String cityId, ZoneId zone, Duration interval, long seed)
    implements Station {

  @Override
  public PointKind kind() {
    return PointKind.WATER;
  }

  @Override
  public List<Measurement> measure(Instant at) {
    double hour = Diurnal.localHour(at, zone);
    double sun = Diurnal.sunshine(hour);
    double temp = 17 + 3 * Math.sin(Math.PI * (hour - 9) / 12) + slow("temp", at, 1.5);
    double dissolvedOxygen = 6.2 + 1.2 * sun + slow("do", at, 0.5);
    double ammonia = Math.max(0.05, 0.42 + slow("nh3n", at, 0.12));
    double phosphorus = Math.max(0.01, 0.11 + slow("tp", at, 0.03));
    double permanganate = Math.max(1, 4.1 + slow("codmn", at, 0.6));
    double ph = 7.5 + 0.3 * sun + slow("ph", at, 0.15);
    double turbidity = Math.max(1, 18 + slow("turbidity", at, 6));
    return List.of(
        Measurement.valid(Parameter.PH, round2(ph)),
        Measurement.valid(Parameter.DO, round2(dissolvedOxygen)),
        Measurement.valid(Parameter.CODMN, round2(permanganate)),
        Measurement.valid(Parameter.NH3N, round3(ammonia)),
        Measurement.valid(Parameter.TP, round3(phosphorus)),
        Measurement.valid(Parameter.TEMP, round2(temp)),
        Measurement.valid(Parameter.TURBIDITY, AirStation.round1(turbidity)));
  }

  private double slow(String channel, Instant at, double amplitude) {
    return amplitude
        * new Noise(Noise.seedFor(seed, pointId, channel), Duration.ofHours(20)).at(at);
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
