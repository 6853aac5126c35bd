package io.envmon.domain.noise;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Day (昼间) and night (夜间) in a city's local time: by default night 22:00–06:00 (GB 3096-2008 §3.5
 * and §3.6); a city government may move the 8-hour night ({@link NightWindow}).
 */
public enum NoisePeriod {
  DAY,
  NIGHT;

  /** The period with the default night 22:00–06:00. */
  public static NoisePeriod at(Instant instant, ZoneId cityZone) {
    return at(instant, cityZone, NightWindow.DEFAULT);
  }

  /** The period in the city's time zone with the city's night window. */
  public static NoisePeriod at(Instant instant, ZoneId cityZone, NightWindow night) {
    LocalTime local = instant.atZone(cityZone).toLocalTime();
    return night.contains(local) ? NIGHT : DAY;
  }
}
