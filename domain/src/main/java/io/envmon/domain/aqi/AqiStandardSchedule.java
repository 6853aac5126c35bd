package io.envmon.domain.aqi;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Which AQI standard is in force at an instant: HJ 633-2012 before {@code hj633of2026From}, HJ
 * 633-2026 from it on (inclusive). The date is a per-cluster setting; by default 2026-03-01 00:00
 * in Asia/Shanghai, 2026-02-28T16:00:00Z.
 */
public record AqiStandardSchedule(Instant hj633of2026From) implements Serializable {

  /** 2026-03-01 00:00 +08:00, the day GB 3095-2026 and HJ 633-2026 take effect. */
  public static final Instant DEFAULT_HJ_633_2026_FROM = Instant.parse("2026-02-28T16:00:00Z");

  /** The schedule with the standards' own date. */
  public static final AqiStandardSchedule DEFAULT =
      new AqiStandardSchedule(DEFAULT_HJ_633_2026_FROM);

  public AqiStandardSchedule {
    if (hj633of2026From == null) {
      throw new IllegalArgumentException("the date HJ 633-2026 takes effect is missing");
    }
  }

  /**
   * The schedule from a setting: an ISO-8601 instant ({@code 2026-02-28T16:00:00Z}) or date-time
   * with offset ({@code 2026-03-01T00:00+08:00}); blank or null gives {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static AqiStandardSchedule parse(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    try {
      return new AqiStandardSchedule(OffsetDateTime.parse(text.trim()).toInstant());
    } catch (DateTimeParseException notAnOffsetDateTime) {
      try {
        return new AqiStandardSchedule(Instant.parse(text.trim()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "HJ 633-2026 effective date '"
                + text
                + "' is not an ISO-8601 date-time with offset, e.g. 2026-03-01T00:00+08:00");
      }
    }
  }

  /** The standard in force at {@code instant}. */
  public AqiStandard at(Instant instant) {
    return instant.isBefore(hj633of2026From) ? AqiStandard.HJ_633_2012 : AqiStandard.HJ_633_2026;
  }
}
