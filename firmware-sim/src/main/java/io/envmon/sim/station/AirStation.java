package io.envmon.sim.station;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * An air-quality station: PM2.5 and PM10 follow the weather (a slow multi-day factor) and the
 * evening inversion, NO2 and CO follow traffic, O3 follows the afternoon sun, SO2 stays low.
 */
public record AirStation(String pointId, String cityId, ZoneId zone, Duration interval, long seed)
    implements Station {

  @Override
  public PointKind kind() {
    return PointKind.AIR;
  }

  @Override
  public List<Measurement> measure(Instant at) {
    double hour = Diurnal.localHour(at, zone);
    double traffic = Diurnal.traffic(hour);
    double sun = Diurnal.sunshine(hour);
    // weather: stagnant days (factor up to ~2) and clean, windy days (~0.5)
    double weather = Math.exp(0.7 * noise("weather", Duration.ofHours(30)).at(at));
    double evening = 1 + 0.3 * Math.exp(-Math.pow(hour - 21, 2) / 8);
    double pm25 = 32 * weather * evening * (0.85 + 0.25 * traffic) * jitter("pm25", at, 0.08);
    double pm10 = pm25 * (1.55 + 0.2 * noise("pm10", Duration.ofHours(5)).at(at));
    double no2 = (15 + 35 * traffic) * Math.sqrt(weather) * jitter("no2", at, 0.1);
    double co = (0.45 + 0.5 * traffic) * Math.sqrt(weather) * jitter("co", at, 0.08);
    double o3 = (25 + 115 * sun) * (1.1 - 0.2 * traffic) * jitter("o3", at, 0.1);
    double so2 = 7 * Math.sqrt(weather) * jitter("so2", at, 0.15);
    return List.of(
        Measurement.valid(Parameter.PM25, round1(pm25)),
        Measurement.valid(Parameter.PM10, round1(pm10)),
        Measurement.valid(Parameter.SO2, round1(so2)),
        Measurement.valid(Parameter.NO2, round1(no2)),
        Measurement.valid(Parameter.O3, round1(o3)),
        Measurement.valid(Parameter.CO, Math.round(co * 100) / 100.0));
  }

  private Noise noise(String channel, Duration period) {
    return new Noise(Noise.seedFor(seed, pointId, channel), period);
  }

  private double jitter(String channel, Instant at, double amplitude) {
    return 1 + amplitude * noise(channel, Duration.ofMinutes(7)).at(at);
  }

  static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
