package io.envmon.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of envmon's own JSON records (readings and points on Kafka) with Jackson's
 * streaming parser, turning every wrong type or missing field into a {@link DecodeException} that
 * names the field.
 */
public final class JsonFields {

  /** Small limits: envmon's records are flat and short. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(8)
                  .maxStringLength(4096)
                  .maxNumberLength(64)
                  .build())
          .build();

  private JsonFields() {}

  /** Reads the fields of one JSON object; the parser stands on its START_OBJECT. */
  @FunctionalInterface
  public interface ObjectReader<T> {
    T read(JsonParser parser) throws IOException, DecodeException;
  }

  /**
   * Decodes one JSON object with {@code reader}; anything that is not such an object, or that the
   * parser refuses, becomes a {@link DecodeException} saying what was expected.
   */
  public static <T> T decodeObject(byte[] payload, String what, ObjectReader<T> reader)
      throws DecodeException {
    if (payload == null || payload.length == 0) {
      throw new DecodeException("empty payload", "offset 0");
    }
    try (JsonParser parser = FACTORY.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("expected a JSON object", "offset 0");
      }
      return reader.read(parser);
    } catch (DecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DecodeException("malformed " + what + ": " + e.getMessage(), "payload", e);
    }
  }

  public static String text(JsonParser parser, JsonToken token, String field)
      throws IOException, DecodeException {
    if (token != JsonToken.VALUE_STRING) {
      throw new DecodeException("expected a string", field);
    }
    return parser.getText();
  }

  public static double number(JsonParser parser, JsonToken token, String field)
      throws IOException, DecodeException {
    if (token == null || !token.isNumeric()) {
      throw new DecodeException("expected a number", field);
    }
    return parser.getDoubleValue();
  }

  public static List<String> strings(JsonParser parser, JsonToken token, String field)
      throws IOException, DecodeException {
    if (token != JsonToken.START_ARRAY) {
      throw new DecodeException("expected an array of strings", field);
    }
    List<String> values = new ArrayList<>();
    JsonToken next;
    while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
      values.add(text(parser, next, field + "[" + values.size() + "]"));
    }
    return values;
  }

  /**
   * An ISO-8601 instant, as {@link Instant#parse} reads it. The form envmon writes ({@code
   * 2026-12-03T02:00:00.123Z}: UTC, 0 to 9 fraction digits) is read by hand, at a third of the
   * JDK's cost (it was 37 % of the gateway forwarder's samples, docs/performance.md); anything else
   * goes to {@link Instant#parse}.
   */
  public static Instant instant(String text, String field) throws DecodeException {
    Instant fast = utcInstant(text);
    if (fast != null) {
      return fast;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new DecodeException("expected an ISO-8601 instant", field);
    }
  }

  /** {@code uuuu-MM-ddTHH:mm:ss[.f…]Z} with a valid date and time; null for anything else. */
  private static Instant utcInstant(String text) {
    int length = text.length();
    if (length < 20
        || length > 30
        || length == 21
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      if (text.charAt(19) != '.') {
        return null;
      }
      int fraction = digits(text, 20, length - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction * POWERS_OF_TEN[9 - (length - 21)];
    } else if (text.charAt(19) != 'Z') {
      return null;
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > Month.of(month).length(Year.isLeap(year))
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** The decimal number of text[from, to), or -1 if a character is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /**
   * Exactly {@code instant.toString()} ({@code 2026-12-03T02:00:00.123Z}: 0, 3, 6 or 9 fraction
   * digits), how envmon's records write an instant, written by hand for years 0 to 9999.
   */
  public static String isoInstant(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < YEAR_0 || seconds >= YEAR_10000) {
      return instant.toString();
    }
    LocalDateTime utc = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    int nanos = instant.getNano();
    int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    char[] text = new char[20 + (fractionDigits == 0 ? 0 : fractionDigits + 1)];
    put(text, 0, 4, utc.getYear());
    text[4] = '-';
    put(text, 5, 2, utc.getMonthValue());
    text[7] = '-';
    put(text, 8, 2, utc.getDayOfMonth());
    text[10] = 'T';
    put(text, 11, 2, utc.getHour());
    text[13] = ':';
    put(text, 14, 2, utc.getMinute());
    text[16] = ':';
    put(text, 17, 2, utc.getSecond());
    if (fractionDigits > 0) {
      text[19] = '.';
      put(text, 20, fractionDigits, nanos / POWERS_OF_TEN[9 - fractionDigits]);
    }
    text[text.length - 1] = 'Z';
    return new String(text);
  }

  private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
  private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, at text[from]. */
  private static void put(char[] text, int from, int width, int value) {
    for (int i = from + width - 1; i >= from; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  public static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field)
      throws DecodeException {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    throw new DecodeException("unknown " + type.getSimpleName() + " '" + text + "'", field);
  }

  public static <T> T required(T value, String field) throws DecodeException {
    if (value == null) {
      throw new DecodeException("missing field", field);
    }
    return value;
  }
}
