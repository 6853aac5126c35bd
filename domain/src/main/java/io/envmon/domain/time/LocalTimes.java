package io.envmon.domain.time;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the people of a city read them: local date and time with the offset, e.g. {@code
 * 2026-12-02 16:36 +08:00}, in alert texts and reports (never UTC ISO-8601 for a person).
 */
public final class LocalTimes {

  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

  private LocalTimes() {}

  /** {@code at} in {@code zone}, to the minute, with the zone's offset at that instant. */
  public static String format(Instant at, ZoneId zone) {
    return MINUTES.format(at.atZone(zone));
  }
}
