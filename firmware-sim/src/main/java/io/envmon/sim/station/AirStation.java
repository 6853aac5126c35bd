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
 * evening inversion, NO2 and CO follow traffic, O3 follows the afternoon sun, SO2 stays low. Its
 * weather sensors report the meteorological factors (HJ 212 a01001–a01008) on daily curves of a
 * Yangtze-delta climate: air temperature around the season's mean, lowest before dawn and highest
 * at about 14:30; relative humidity the other way round; pressure higher in winter with the
 * twice-daily atmospheric tide (highs near 10:00 and 22:00); wind stronger in the afternoon and on
 * clean days, weak on stagnant ones; a wind direction that veers slowly.
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
    // weather sensors
    double season = Math.cos(2 * Math.PI * (at.atZone(zone).getDayOfYear() - 20) / 365.25);
    double afternoon = Math.cos(2 * Math.PI * (hour - 14.5) / 24); // 1 at 14:30, -1 at 02:30
    double airTemp =
        16.5 - 12.5 * season + 4 * afternoon + 2.5 * noise("temp", Duration.ofHours(40)).at(at);
    double rh =
        Math.max(
            25,
            Math.min(
                100,
                72
                    - 16 * afternoon
                    + 10 * noise("rh", Duration.ofHours(30)).at(at)
                    + 6 * (weather - 1)));
    double pressure =
        101.3
            + 0.8 * season
            + 0.12 * Math.cos(4 * Math.PI * (hour - 10) / 24)
            + 0.5 * noise("pressure", Duration.ofHours(60)).at(at);
    double windSpeed =
        Math.max(0.2, (1.3 + 1.6 * sun) / Math.sqrt(weather) * jitter("wind", at, 0.25));
    double windDir =
        Math.floorMod(
            Math.round(
                120
                    + 150 * noise("wind-dir", Duration.ofHours(36)).at(at)
                    + 20 * noise("wind-gust", Duration.ofMinutes(11)).at(at)),
            360);
    return List.of(
        Measurement.valid(Parameter.PM25, round1(pm25)),
        Measurement.valid(Parameter.PM10, round1(pm10)),
        Measurement.valid(Parameter.SO2, round1(so2)),
        Measurement.valid(Parameter.NO2, round1(no2)),
        Measurement.valid(Parameter.O3, round1(o3)),
        Measurement.valid(Parameter.CO, Math.round(co * 100) / 100.0),
        Measurement.valid(Parameter.AIR_TEMP, round1(airTemp)),
        Measurement.valid(Parameter.RH, round1(rh)),
        Measurement.valid(Parameter.PRESSURE, Math.round(pressure * 100) / 100.0),
        Measurement.valid(Parameter.WIND_SPEED, round1(windSpeed)),
        Measurement.valid(Parameter.WIND_DIR, (double) windDir));
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
