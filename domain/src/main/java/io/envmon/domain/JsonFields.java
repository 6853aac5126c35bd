package io.envmon.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.Instant;
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

  public static Instant instant(String text, String field) throws DecodeException {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new DecodeException("expected an ISO-8601 instant", field);
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
