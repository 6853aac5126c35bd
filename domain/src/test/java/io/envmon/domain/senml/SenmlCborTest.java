package io.envmon.domain.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.DecodeException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SenML CBOR (RFC 8428 §6)")
class SenmlCborTest {

  /** The CBOR example of RFC 8428 §6, byte for byte (its hex dump, 16 bytes per line). */
  static final String RFC_8428_SECTION_6_EXAMPLE =
      "87 a7 21 78 1b 75 72 6e 3a 64 65 76 3a 6f 77 3a "
          + "31 30 65 32 30 37 33 61 30 31 30 38 30 30 36 3a "
          + "22 fb 41 d3 03 a1 5b 00 10 62 23 61 41 20 05 00 "
          + "67 76 6f 6c 74 61 67 65 01 61 56 02 fb 40 5e 06 "
          + "66 66 66 66 66 a3 00 67 63 75 72 72 65 6e 74 06 "
          + "24 02 fb 3f f3 33 33 33 33 33 33 a3 00 67 63 75 "
          + "72 72 65 6e 74 06 23 02 fb 3f f4 cc cc cc cc cc "
          + "cd a3 00 67 63 75 72 72 65 6e 74 06 22 02 fb 3f "
          + "f6 66 66 66 66 66 66 a3 00 67 63 75 72 72 65 6e "
          + "74 06 21 02 f9 3e 00 a3 00 67 63 75 72 72 65 6e "
          + "74 06 20 02 fb 3f f9 99 99 99 99 99 9a a3 00 67 "
          + "63 75 72 72 65 6e 74 06 00 02 fb 3f fb 33 33 33 "
          + "33 33 33 ";

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static DecodeException failure(byte[] cbor) {
    try {
      SenmlCbor.decode(cbor);
    } catch (DecodeException e) {
      return e;
    }
    throw new AssertionError("expected a DecodeException");
  }

  @Test
  void readsTheExampleOfRfc8428Section6LikeItsJsonForm() throws DecodeException {
    List<SenmlRecord> fromCbor = SenmlCbor.decode(hex(RFC_8428_SECTION_6_EXAMPLE));

    List<SenmlRecord> fromJson =
        SenmlJson.decode(
            ("[{\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1.276020076001e+09,"
                    + "\"bu\":\"A\",\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
                    + "{\"n\":\"current\",\"t\":-5,\"v\":1.2},{\"n\":\"current\",\"t\":-4,\"v\":1.3},"
                    + "{\"n\":\"current\",\"t\":-3,\"v\":1.4},{\"n\":\"current\",\"t\":-2,\"v\":1.5},"
                    + "{\"n\":\"current\",\"t\":-1,\"v\":1.6},{\"n\":\"current\",\"t\":0,\"v\":1.7}]")
                .getBytes(UTF_8));
    assertThat(fromCbor).isEqualTo(fromJson);
  }

  @Test
  void readsBaseSumFromLabelMinus6() throws DecodeException {
    // [{-6: 2, 0: "x", 5: 3}]
    assertThat(SenmlCbor.decode(hex("81 a3 25 02 00 61 78 05 03")).get(0).bs()).isEqualTo(2d);
  }

  @Test
  void readsTheFlagExtensionFromATextKey() throws DecodeException {
    // [{0: "a:pm25", 2: 1, "flag": "D"}]
    byte[] cbor = hex("81 a3 00 66 613a706d3235 02 01 64 666c6167 61 44");
    assertThat(SenmlCbor.decode(cbor).get(0).flag()).isEqualTo("D");
  }

  @Test
  void readsADataValueFromAByteString() throws DecodeException {
    // [{0: "w", 8: h'00ff'}]
    assertThat(SenmlCbor.decode(hex("81 a2 00 61 77 08 42 00ff")).get(0).vd())
        .containsExactly(0, -1);
  }

  @Test
  void readsADecimalFraction() throws DecodeException {
    // [{0: "a:pm25", 2: 4([-1, 352])}], RFC 8428 §6 allows CBOR tag 4.
    assertThat(SenmlCbor.decode(hex("81 a2 00 66 613a706d3235 02 c4 82 20 19 0160")).get(0).v())
        .isEqualTo(35.2);
  }

  @Test
  void readsHalfPrecisionFloats() throws DecodeException {
    assertThat(SenmlCbor.decode(hex("81 a1 02 f9 3e00")).get(0).v()).isEqualTo(1.5);
  }

  @Test
  void ignoresUnknownIntegerAndTextKeys() throws DecodeException {
    // [{9: [1, {}], "ct": "x", 2: 1}]
    assertThat(SenmlCbor.decode(hex("81 a3 09 82 01 a0 62 6374 61 78 02 01")))
        .containsExactly(SenmlRecord.builder().v(1d).build());
  }

  @Test
  void rejectsJsonLabelsUsedAsTextKeys() {
    DecodeException e = failure(hex("81 a1 61 6e 61 78"));
    assertThat(e.reason())
        .isEqualTo("text label \"n\" in SenML CBOR; use the integer label 0 (RFC 8428 §6)");
    assertThat(e.location()).isEqualTo("record 0");
  }

  @Test
  void rejectsATextStringForTheDataValue() {
    DecodeException e = failure(hex("81 a1 08 62 6869"));
    assertThat(e.reason()).isEqualTo("\"vd\" must be a byte string, found a text string");
    assertThat(e.location()).isEqualTo("record 0, vd");
  }

  @Test
  void rejectsBignums() {
    // [{2: 2(h'ff')}]: Jackson's streaming parser misreads such bignums, so none are accepted.
    DecodeException e = failure(hex("81 a1 02 c2 41 ff"));
    assertThat(e.reason()).isEqualTo("integer beyond the 64-bit range in \"v\"");
    assertThat(e.location()).isEqualTo("record 0, v");
  }

  @Test
  void rejectsIntegersBelowTheLongRange() {
    assertThat(failure(hex("81 a1 02 3b ffffffffffffffff")).reason())
        .isEqualTo("integer beyond the 64-bit range in \"v\"");
  }

  @Test
  void rejectsAHugeDeclaredByteStringLength() {
    DecodeException e = failure(hex("81 a1 08 5b 7fffffffffffffff 00"));
    assertThat(e.reason()).startsWith("malformed CBOR:");
  }

  @Test
  void rejectsAHugeDeclaredTextLength() {
    DecodeException e = failure(hex("81 a1 00 7b 7fffffffffffffff 00"));
    assertThat(e.reason()).startsWith("malformed CBOR: Illegal length for VALUE_STRING");
    assertThat(e.location()).isEqualTo("offset 12");
  }

  @Test
  void rejectsAHugeDeclaredArrayLengthThatTheBytesDoNotHold() {
    assertThat(failure(hex("9b 7fffffffffffffff a1 02 01")).reason()).startsWith("malformed CBOR");
  }

  @Test
  void rejectsDeepNesting() {
    byte[] deep = new byte[100_003];
    deep[0] = (byte) 0x81;
    deep[1] = (byte) 0xa1;
    deep[2] = 0x09;
    Arrays.fill(deep, 3, deep.length, (byte) 0x81);
    assertThat(failure(deep).reason()).startsWith("malformed CBOR: Document nesting depth (17)");
  }

  @Test
  void rejectsAPackThatIsNotAnArray() {
    assertThat(failure(hex("a1 02 01")).reason())
        .isEqualTo("a SenML pack is an array of records (RFC 8428 §6), found a map");
  }

  @Test
  void rejectsANonTextNonIntegerKey() {
    assertThat(failure(hex("81 a1 f9 3c00 01")).reason()).startsWith("malformed CBOR:");
  }

  @Test
  void rejectsTrailingBytes() {
    assertThat(failure(hex("81 a1 02 01 00")).reason())
        .isEqualTo("content after the end of the pack");
  }

  @Test
  void rejectsATruncatedPack() {
    assertThat(failure(hex("82 a1 02 01")).reason()).startsWith("malformed CBOR");
  }

  @Test
  void writesIntegerLabelsAndATextKeyForFlag() {
    List<SenmlRecord> pack =
        List.of(SenmlRecord.builder().bn("a:").bt(1763683200d).n("pm25").v(35.5).flag("D").build());

    assertThat(HexFormat.of().formatHex(SenmlCbor.encode(pack)))
        .isEqualTo(
            "81" // array(1)
                + "a5" // map(5)
                + "21"
                + "62613a" // -2: "a:"
                + "22"
                + "1a691fab80" // -3: 1763683200
                + "00"
                + "64706d3235" // 0: "pm25"
                + "02"
                + "fa420e0000" // 2: 35.5 as a single-precision float
                + "64666c6167"
                + "6144"); // "flag": "D"
  }

  @Test
  void readsBackEveryFieldItWrites() throws DecodeException {
    List<SenmlRecord> pack =
        List.of(
            SenmlRecord.builder()
                .bn("a:")
                .bt(1.7636832001e9)
                .bu("Cel")
                .bv(0.1)
                .bs(-2.5)
                .bver(10)
                .n("x")
                .u("%RH")
                .v(0.30000000000000004)
                .s(1e-300)
                .t(-0.001)
                .ut(3600d)
                .flag("M")
                .build(),
            SenmlRecord.builder().n("y").vs("é \" \\ \u0001").build(),
            SenmlRecord.builder().n("z").vb(true).build(),
            SenmlRecord.builder().n("w").vd(new byte[] {0, -1, 2, 3}).build());

    assertThat(SenmlCbor.decode(SenmlCbor.encode(pack))).isEqualTo(pack);
  }
}
