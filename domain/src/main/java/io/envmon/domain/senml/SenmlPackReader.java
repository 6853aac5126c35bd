package io.envmon.domain.senml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a SenML pack from a streaming parser, shared by the JSON and CBOR representations (RFC 8428
 * §5, §6). Strict about the pack's shape and each known field's type; ignores unknown fields except
 * must-understand ones (§4.4).
 */
final class SenmlPackReader {

  /** The wire representation being read. */
  enum Dialect {
    JSON("JSON"),
    CBOR("CBOR");

    private final String displayName;

    Dialect(String displayName) {
      this.displayName = displayName;
    }
  }

  /**
   * Limits for the streaming parsers. A record is a flat map; nesting only occurs in ignored
   * extension fields, so a shallow limit costs nothing and stops deep-nesting attacks.
   */
  static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(16)
          // RFC 8428 §5: mantissa SHOULD be under 19 characters, exponent under 5.
          .maxNumberLength(64)
          .maxStringLength(1 << 20)
          .maxNameLength(1 << 10)
          .build();

  private static final int MAX_REASON_CHARS = 200;

  private final JsonParser parser;
  private final Dialect dialect;

  private SenmlPackReader(JsonParser parser, Dialect dialect) {
    this.parser = parser;
    this.dialect = dialect;
  }

  /** Reads the whole input as one pack; the parser is closed afterwards. */
  static List<SenmlRecord> read(JsonParser parser, Dialect dialect) throws DecodeException {
    try (parser) {
      return new SenmlPackReader(parser, dialect).readPack();
    } catch (JsonProcessingException e) {
      throw new DecodeException(
          "malformed " + dialect.displayName + ": " + clip(e.getOriginalMessage()),
          offset(e.getLocation(), parser),
          e);
    } catch (IOException e) {
      throw new DecodeException(
          "unreadable " + dialect.displayName + ": " + clip(e.getMessage()),
          offset(null, parser),
          e);
    } catch (RuntimeException e) {
      // Safety net: no runtime exception may escape a decoder, whatever the bytes. The fuzz tests
      // fail if this is ever reached.
      throw new DecodeException(
          "internal decoder error: " + e.getClass().getSimpleName(), offset(null, parser), e);
    }
  }

  private List<SenmlRecord> readPack() throws IOException, DecodeException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new DecodeException("empty payload: a SenML pack is an array of records", "offset 0");
    }
    if (first != JsonToken.START_ARRAY) {
      throw new DecodeException(
          "a SenML pack is an array of records (RFC 8428 §"
              + (dialect == Dialect.JSON ? "5" : "6")
              + "), found "
              + describe(first),
          "offset 0");
    }
    List<SenmlRecord> records = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      int index = records.size();
      if (token == null) {
        throw truncated();
      }
      if (token != JsonToken.START_OBJECT) {
        throw new DecodeException(
            "a record is "
                + (dialect == Dialect.JSON ? "an object" : "a map")
                + ", found "
                + describe(token),
            "record " + index);
      }
      records.add(readRecord(index));
    }
    if (parser.nextToken() != null) {
      throw new DecodeException("content after the end of the pack", offset(null, parser));
    }
    if (records.isEmpty()) {
      throw new DecodeException("empty pack: no records", "offset 0");
    }
    return records;
  }

  private SenmlRecord readRecord(int index) throws IOException, DecodeException {
    SenmlRecord.Builder record = SenmlRecord.builder();
    Set<SenmlLabel> seen = EnumSet.noneOf(SenmlLabel.class);
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      if (token != JsonToken.FIELD_NAME) {
        // The parsers report such syntax errors themselves; this is the end of the input.
        throw truncated();
      }
      String key = parser.currentName();
      Optional<SenmlLabel> label = labelOf(key, index);
      JsonToken valueToken = parser.nextToken();
      if (valueToken == null) {
        throw truncated();
      }
      if (label.isEmpty()) {
        // RFC 8428 §4.4: ignore fields not recognised (must-understand ones were rejected).
        parser.skipChildren();
        continue;
      }
      if (!seen.add(label.get())) {
        throw new DecodeException(
            "duplicate label " + Quote.text(label.get().jsonLabel()), location(index, label.get()));
      }
      readField(record, label.get(), valueToken, index);
    }
    return record.build();
  }

  private Optional<SenmlLabel> labelOf(String key, int index) throws DecodeException {
    Optional<SenmlLabel> label =
        dialect == Dialect.JSON ? SenmlLabel.byJsonLabel(key) : SenmlLabel.byCborKey(key);
    if (label.isPresent()) {
      return label;
    }
    if (dialect == Dialect.CBOR) {
      Optional<SenmlLabel> jsonLabel = SenmlLabel.byJsonLabel(key);
      if (jsonLabel.isPresent()) {
        // RFC 8428 §6: the CBOR representation uses the integer labels of table 4.
        throw new DecodeException(
            "text label "
                + Quote.text(key)
                + " in SenML CBOR; use the integer label "
                + jsonLabel.get().cborLabel().orElseThrow()
                + " (RFC 8428 §6)",
            "record " + index);
      }
    }
    if (key.endsWith("_")) {
      throw new DecodeException(
          "must-understand label " + Quote.text(key) + " is not supported (RFC 8428 §4.4)",
          "record " + index);
    }
    return Optional.empty();
  }

  private void readField(SenmlRecord.Builder record, SenmlLabel label, JsonToken token, int index)
      throws IOException, DecodeException {
    switch (label) {
      case BASE_NAME -> record.bn(text(label, token, index));
      case BASE_TIME -> record.bt(number(label, token, index));
      case BASE_UNIT -> record.bu(text(label, token, index));
      case BASE_VALUE -> record.bv(number(label, token, index));
      case BASE_SUM -> record.bs(number(label, token, index));
      case BASE_VERSION -> record.bver(version(label, token, index));
      case NAME -> record.n(text(label, token, index));
      case UNIT -> record.u(text(label, token, index));
      case VALUE -> record.v(number(label, token, index));
      case STRING_VALUE -> record.vs(text(label, token, index));
      case BOOLEAN_VALUE -> record.vb(bool(label, token, index));
      case DATA_VALUE -> record.vd(data(label, token, index));
      case SUM -> record.s(number(label, token, index));
      case TIME -> record.t(number(label, token, index));
      case UPDATE_TIME -> record.ut(number(label, token, index));
      case FLAG -> record.flag(text(label, token, index));
    }
  }

  private String text(SenmlLabel label, JsonToken token, int index)
      throws IOException, DecodeException {
    if (token != JsonToken.VALUE_STRING) {
      throw wrongType(label, "a text string", token, index);
    }
    return parser.getText();
  }

  private boolean bool(SenmlLabel label, JsonToken token, int index) throws DecodeException {
    return switch (token) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> throw wrongType(label, "a boolean", token, index);
    };
  }

  private Double number(SenmlLabel label, JsonToken token, int index)
      throws IOException, DecodeException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw wrongType(label, "a number", token, index);
    }
    return switch (parser.getNumberType()) {
      case INT, LONG -> (double) parser.getLongValue();
      case FLOAT, DOUBLE -> parser.getDoubleValue();
      // CBOR decimal fraction, tag 4 (RFC 8428 §6).
      case BIG_DECIMAL -> parser.getDecimalValue().doubleValue();
      case BIG_INTEGER -> {
        if (dialect == Dialect.CBOR) {
          // CBOR bignums (tags 2, 3) and integers beyond 64 bits: no SenML number needs them,
          // and the streaming parser does not decode every bignum faithfully.
          throw new DecodeException(
              "integer beyond the 64-bit range in " + Quote.text(label.jsonLabel()),
              location(index, label));
        }
        yield parser.getDoubleValue();
      }
    };
  }

  private Integer version(SenmlLabel label, JsonToken token, int index)
      throws IOException, DecodeException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(label, "an integer", token, index);
    }
    if (parser.getNumberType() != JsonParser.NumberType.INT) {
      throw new DecodeException(
          "bver " + clip(parser.getText()) + " is out of range", location(index, label));
    }
    return parser.getIntValue();
  }

  private byte[] data(SenmlLabel label, JsonToken token, int index)
      throws IOException, DecodeException {
    if (dialect == Dialect.CBOR) {
      // RFC 8428 §6: the data value is a byte string.
      if (token != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw wrongType(label, "a byte string", token, index);
      }
      byte[] bytes = parser.getBinaryValue();
      if (bytes == null) {
        throw wrongType(label, "a byte string", token, index);
      }
      return bytes;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw wrongType(label, "a base64url text string", token, index);
    }
    try {
      // RFC 8428 §5: base64url (RFC 4648 §5) with padding omitted; padding is tolerated.
      return Base64.getUrlDecoder().decode(parser.getText());
    } catch (IllegalArgumentException e) {
      throw new DecodeException(
          "vd is not base64url (RFC 4648 §5): " + clip(e.getMessage()), location(index, label));
    }
  }

  private DecodeException truncated() {
    return new DecodeException("truncated pack", offset(null, parser));
  }

  private DecodeException wrongType(SenmlLabel label, String expected, JsonToken found, int index) {
    return new DecodeException(
        Quote.text(label.jsonLabel()) + " must be " + expected + ", found " + describe(found),
        location(index, label));
  }

  private String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> dialect == Dialect.JSON ? "an object" : "a map";
      case VALUE_STRING -> "a text string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case VALUE_EMBEDDED_OBJECT -> dialect == Dialect.JSON ? "an embedded value" : "a byte string";
      default -> token.name();
    };
  }

  private String location(int index, SenmlLabel label) {
    return "record " + index + ", " + label.jsonLabel();
  }

  private static String offset(JsonLocation location, JsonParser parser) {
    JsonLocation where = location != null ? location : parser.currentLocation();
    long offset = where == null ? -1 : where.getByteOffset();
    if (offset < 0 && where != null) {
      offset = where.getCharOffset();
    }
    return offset < 0 ? "unknown offset" : "offset " + offset;
  }

  static String clip(String message) {
    if (message == null) {
      return "no detail";
    }
    String oneLine = message.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= MAX_REASON_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_REASON_CHARS) + "…";
  }
}
