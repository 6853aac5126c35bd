package io.envmon.domain.senml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.envmon.domain.DecodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * SenML CBOR, {@code application/senml+cbor} (RFC 8428 §6), CoAP content-format 112: integer map
 * keys from table 4, text keys for extensions such as envmon's {@code flag}.
 */
public final class SenmlCbor {

  private static final CBORFactory FACTORY =
      CBORFactory.builder().streamReadConstraints(SenmlPackReader.CONSTRAINTS).build();

  private static final double MAX_EXACT_INTEGER = 9_007_199_254_740_992d;

  private SenmlCbor() {}

  /**
   * Reads a pack as the records on the wire, base fields not yet applied.
   *
   * @throws DecodeException when the payload is not CBOR, not an array of maps, empty, or a known
   *     field has the wrong type
   */
  public static List<SenmlRecord> decode(byte[] payload) throws DecodeException {
    Objects.requireNonNull(payload, "payload");
    JsonParser parser;
    try {
      parser = FACTORY.createParser(payload);
    } catch (IOException e) {
      throw new DecodeException(
          "malformed CBOR: " + SenmlPackReader.clip(e.getMessage()), "offset 0", e);
    }
    return SenmlPackReader.read(parser, SenmlPackReader.Dialect.CBOR);
  }

  /**
   * Writes a pack as a definite-length array (RFC 8428 §6: non-streaming SenML MUST), each number
   * in the smallest CBOR form that reads back as the same double.
   *
   * @throws IllegalArgumentException when the pack is empty or a number is NaN or infinite
   */
  public static byte[] encode(List<SenmlRecord> pack) {
    if (pack.isEmpty()) {
      throw new IllegalArgumentException("a SenML pack has at least one record");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator cbor = FACTORY.createGenerator(out)) {
      cbor.writeStartArray(pack, pack.size());
      for (SenmlRecord record : pack) {
        writeRecord(cbor, record);
      }
      cbor.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeRecord(CBORGenerator cbor, SenmlRecord record) throws IOException {
    cbor.writeStartObject(record, fieldCount(record));
    text(cbor, SenmlLabel.BASE_NAME, record.bn());
    number(cbor, SenmlLabel.BASE_TIME, record.bt());
    text(cbor, SenmlLabel.BASE_UNIT, record.bu());
    number(cbor, SenmlLabel.BASE_VALUE, record.bv());
    number(cbor, SenmlLabel.BASE_SUM, record.bs());
    if (record.bver() != null) {
      key(cbor, SenmlLabel.BASE_VERSION);
      cbor.writeNumber(record.bver().intValue());
    }
    text(cbor, SenmlLabel.NAME, record.n());
    text(cbor, SenmlLabel.UNIT, record.u());
    number(cbor, SenmlLabel.VALUE, record.v());
    text(cbor, SenmlLabel.STRING_VALUE, record.vs());
    if (record.vb() != null) {
      key(cbor, SenmlLabel.BOOLEAN_VALUE);
      cbor.writeBoolean(record.vb());
    }
    byte[] data = record.vd();
    if (data != null) {
      key(cbor, SenmlLabel.DATA_VALUE);
      cbor.writeBinary(data);
    }
    number(cbor, SenmlLabel.SUM, record.s());
    number(cbor, SenmlLabel.TIME, record.t());
    number(cbor, SenmlLabel.UPDATE_TIME, record.ut());
    text(cbor, SenmlLabel.FLAG, record.flag());
    cbor.writeEndObject();
  }

  private static int fieldCount(SenmlRecord r) {
    Object[] fields = {
      r.bn(), r.bt(), r.bu(), r.bv(), r.bs(), r.bver(), r.n(), r.u(), r.v(), r.vs(), r.vb(), r.vd(),
      r.s(), r.t(), r.ut(), r.flag()
    };
    int count = 0;
    for (Object field : fields) {
      if (field != null) {
        count++;
      }
    }
    return count;
  }

  private static void key(CBORGenerator cbor, SenmlLabel label) throws IOException {
    if (label.cborLabel().isPresent()) {
      cbor.writeFieldId(label.cborLabel().get());
    } else {
      cbor.writeFieldName(label.jsonLabel());
    }
  }

  private static void text(CBORGenerator cbor, SenmlLabel label, String value) throws IOException {
    if (value != null) {
      key(cbor, label);
      cbor.writeString(value);
    }
  }

  private static void number(CBORGenerator cbor, SenmlLabel label, Double value)
      throws IOException {
    if (value == null) {
      return;
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "SenML cannot carry " + value + " in " + label.jsonLabel());
    }
    key(cbor, label);
    double number = value;
    if (number == Math.rint(number) && Math.abs(number) <= MAX_EXACT_INTEGER) {
      cbor.writeNumber((long) number);
    } else if ((double) (float) number == number) {
      cbor.writeNumber((float) number);
    } else {
      cbor.writeNumber(number);
    }
  }
}
