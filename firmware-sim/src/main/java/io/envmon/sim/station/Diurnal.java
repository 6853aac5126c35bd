package io.envmon.sim.station;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Daily cycles in a city's local time: rush-hour traffic, afternoon sunshine. */
final class Diurnal {
  private Diurnal() {}

  static double localHour(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    return local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
  }

  /** Traffic intensity 0..1 with morning (08:00) and evening (18:30) rush hours. */
  static double traffic(double hour) {
    return Math.min(
        1.0,
        0.15
            + 0.85 * bump(hour, 8.0, 1.5)
            + 0.8 * bump(hour, 18.5, 2.0)
            + 0.35 * (hour > 6 && hour < 22 ? 1 : 0));
  }

  /** Sunshine 0..1, peaking at 14:00, zero at night. */
  static double sunshine(double hour) {
    return Math.max(0, Math.sin(Math.PI * (hour - 6) / 16));
  }

  private static double bump(double hour, double centre, double width) {
    double d = hour - centre;
    return Math.exp(-(d * d) / (2 * width * width));
  }
}
