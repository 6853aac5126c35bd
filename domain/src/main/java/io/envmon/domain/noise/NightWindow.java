package io.envmon.domain.noise;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Objects;

/**
 * A city's night (夜间) in local time. GB 3096-2008 §3.6 sets 22:00–06:00; under the Noise Pollution
 * Prevention Law (in force 2022-06-05) a city government may move its start and end, but the night
 * stays 8 hours long. Written {@code HH:mm-HH:mm}, e.g. {@code 23:00-07:00}.
 *
 * @param start the first minute of the night (inclusive)
 * @param end the first minute of the day (exclusive end of the night), 8 hours after {@code start}
 */
public record NightWindow(LocalTime start, LocalTime end) implements Serializable {

  /** The night is 8 hours long (Noise Pollution Prevention Law, art. 88). */
  public static final Duration LENGTH = Duration.ofHours(8);

  /** GB 3096-2008: 22:00–06:00. */
  public static final NightWindow DEFAULT =
      new NightWindow(LocalTime.of(22, 0), LocalTime.of(6, 0));

  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);

  /**
   * @throws IllegalArgumentException when the night is not exactly 8 hours or the times are not
   *     whole minutes
   */
  public NightWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.getSecond() != 0
        || start.getNano() != 0
        || end.getSecond() != 0
        || end.getNano() != 0) {
      throw new IllegalArgumentException("night start and end must be whole minutes (HH:mm)");
    }
    if (!start.plus(LENGTH).equals(end)) {
      throw new IllegalArgumentException(
          "the night must last exactly 8 hours: "
              + start.format(HH_MM)
              + "–"
              + end.format(HH_MM)
              + " does not (from "
              + start.format(HH_MM)
              + " it ends at "
              + start.plus(LENGTH).format(HH_MM)
              + ")");
    }
  }

  /** The night starting at {@code start}, 8 hours long. */
  public static NightWindow startingAt(LocalTime start) {
    return new NightWindow(start, start.plus(LENGTH));
  }

  /**
   * Parses {@code HH:mm} start and end.
   *
   * @throws IllegalArgumentException when either is not {@code HH:mm} or the night is not 8 hours
   */
  public static NightWindow of(String start, String end) {
    return new NightWindow(time("start", start), time("end", end));
  }

  /**
   * Parses {@code HH:mm-HH:mm} (an en dash is accepted too), e.g. {@code 23:00-07:00}.
   *
   * @throws IllegalArgumentException when the text is not of that form or the night is not 8 hours
   */
  public static NightWindow parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("\\s*[-–]\\s*");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "night window '" + text + "' is not HH:mm-HH:mm, e.g. 22:00-06:00");
    }
    return of(parts[0], parts[1]);
  }

  private static LocalTime time(String what, String text) {
    if (text == null || !text.trim().matches("\\d{2}:\\d{2}")) {
      throw new IllegalArgumentException("night " + what + " '" + text + "' is not HH:mm");
    }
    try {
      return LocalTime.parse(text.trim(), HH_MM);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("night " + what + " '" + text + "' is not HH:mm", e);
    }
  }

  /** Whether a local time of day falls in this night. */
  public boolean contains(LocalTime local) {
    return start.isBefore(end)
        ? !local.isBefore(start) && local.isBefore(end)
        : !local.isBefore(start) || local.isBefore(end);
  }

  /** {@code HH:mm}. */
  public String startText() {
    return start.format(HH_MM);
  }

  /** {@code HH:mm}. */
  public String endText() {
    return end.format(HH_MM);
  }

  @Override
  public String toString() {
    return startText() + "-" + endText();
  }
}
