package io.envmon.domain.senml;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.envmon.domain.DecodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** SenML JSON, {@code application/senml+json} (RFC 8428 §5), CoAP content-format 110. */
public final class SenmlJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().streamReadConstraints(SenmlPackReader.CONSTRAINTS).build();

  /** 2^53: integers up to this magnitude are exact doubles and are written without a fraction. */
  private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

  private SenmlJson() {}

  /**
   * Reads a pack as the records on the wire, base fields not yet applied.
   *
   * @throws DecodeException when the payload is not UTF-8 JSON, not an array of objects, empty, or
   *     a known field has the wrong type
   */
  public static List<SenmlRecord> decode(byte[] payload) throws DecodeException {
    Objects.requireNonNull(payload, "payload");
    requireUtf8(payload);
    JsonParser parser;
    try {
      parser = FACTORY.createParser(payload);
    } catch (IOException e) {
      throw new DecodeException(
          "malformed JSON: " + SenmlPackReader.clip(e.getMessage()), "offset 0", e);
    }
    return SenmlPackReader.read(parser, SenmlPackReader.Dialect.JSON);
  }

  /** RFC 8428 §5: only the UTF-8 form of JSON is allowed; refuse UTF-16 and UTF-32 early. */
  private static void requireUtf8(byte[] payload) throws DecodeException {
    int prefix = Math.min(payload.length, 4);
    for (int i = 0; i < prefix; i++) {
      if (payload[i] == 0) {
        throw new DecodeException("SenML JSON must be UTF-8 (RFC 8428 §5)", "offset " + i);
      }
    }
    if (payload.length >= 2
        && ((payload[0] == (byte) 0xFE && payload[1] == (byte) 0xFF)
            || (payload[0] == (byte) 0xFF && payload[1] == (byte) 0xFE))) {
      throw new DecodeException("SenML JSON must be UTF-8 (RFC 8428 §5)", "offset 0");
    }
  }

  /**
   * Writes a pack. Numbers are written so that they read back as the same double, with a lower-case
   * exponent (RFC 8428 §5).
   *
   * @throws IllegalArgumentException when the pack is empty or a number is NaN or infinite
   */
  public static byte[] encode(List<SenmlRecord> pack) {
    if (pack.isEmpty()) {
      throw new IllegalArgumentException("a SenML pack has at least one record");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartArray();
      for (SenmlRecord record : pack) {
        writeRecord(json, record);
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeRecord(JsonGenerator json, SenmlRecord record) throws IOException {
    json.writeStartObject();
    text(json, SenmlLabel.BASE_NAME, record.bn());
    number(json, SenmlLabel.BASE_TIME, record.bt());
    text(json, SenmlLabel.BASE_UNIT, record.bu());
    number(json, SenmlLabel.BASE_VALUE, record.bv());
    number(json, SenmlLabel.BASE_SUM, record.bs());
    if (record.bver() != null) {
      json.writeNumberField(SenmlLabel.BASE_VERSION.jsonLabel(), record.bver());
    }
    text(json, SenmlLabel.NAME, record.n());
    text(json, SenmlLabel.UNIT, record.u());
    number(json, SenmlLabel.VALUE, record.v());
    text(json, SenmlLabel.STRING_VALUE, record.vs());
    if (record.vb() != null) {
      json.writeBooleanField(SenmlLabel.BOOLEAN_VALUE.jsonLabel(), record.vb());
    }
    byte[] data = record.vd();
    if (data != null) {
      json.writeStringField(
          SenmlLabel.DATA_VALUE.jsonLabel(),
          Base64.getUrlEncoder().withoutPadding().encodeToString(data));
    }
    number(json, SenmlLabel.SUM, record.s());
    number(json, SenmlLabel.TIME, record.t());
    number(json, SenmlLabel.UPDATE_TIME, record.ut());
    text(json, SenmlLabel.FLAG, record.flag());
    json.writeEndObject();
  }

  private static void text(JsonGenerator json, SenmlLabel label, String value) throws IOException {
    if (value != null) {
      json.writeStringField(label.jsonLabel(), value);
    }
  }

  private static void number(JsonGenerator json, SenmlLabel label, Double value)
      throws IOException {
    if (value == null) {
      return;
    }
    json.writeFieldName(label.jsonLabel());
    json.writeNumber(numberText(label, value));
  }

  /** The shortest text that reads back as the same double; integers without a fraction. */
  static String numberText(SenmlLabel label, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "SenML JSON cannot carry " + value + " in " + label.jsonLabel());
    }
    if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER) {
      return Long.toString((long) value);
    }
    // RFC 8428 §5: an exponent's "e" MUST be lower case; Double.toString writes "E".
    return Double.toString(value).replace('E', 'e');
  }
}
