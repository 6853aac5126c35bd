package io.envmon.domain.noise;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Day (昼间) 06:00–22:00 and night (夜间) 22:00–06:00 local time, GB 3096-2008 §3.5 and §3.6. A local
 * government may move them; envmon uses the standard's hours in each city's time zone.
 */
public enum NoisePeriod {
  DAY,
  NIGHT;

  private static final LocalTime DAY_STARTS = LocalTime.of(6, 0);
  private static final LocalTime NIGHT_STARTS = LocalTime.of(22, 0);

  public static NoisePeriod at(Instant instant, ZoneId cityZone) {
    LocalTime local = instant.atZone(cityZone).toLocalTime();
    return !local.isBefore(DAY_STARTS) && local.isBefore(NIGHT_STARTS) ? DAY : NIGHT;
  }
}
