package io.envmon.domain.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SenML JSON (RFC 8428 §5)")
class SenmlJsonTest {

  static final String ARCHITECTURE_EXAMPLE =
      "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":35.2},"
          + "{\"n\":\"pm10\",\"v\":80}]";

  static List<SenmlRecord> decode(String json) throws DecodeException {
    return SenmlJson.decode(json.getBytes(UTF_8));
  }

  static DecodeException failure(String json) {
    try {
      SenmlJson.decode(json.getBytes(UTF_8));
    } catch (DecodeException e) {
      return e;
    }
    throw new AssertionError("expected a DecodeException for " + json);
  }

  @Test
  void readsTheArchitectureExampleAsRawRecords() throws DecodeException {
    assertThat(decode(ARCHITECTURE_EXAMPLE))
        .containsExactly(
            SenmlRecord.builder()
                .bn("wujiang-air-01:")
                .bt(1763683200d)
                .n("pm25")
                .u("ug/m3")
                .v(35.2)
                .build(),
            SenmlRecord.builder().n("pm10").v(80d).build());
  }

  @Test
  void readsEveryLabelOfTable2() throws DecodeException {
    String json =
        "[{\"bn\":\"a:\",\"bt\":1.5e9,\"bu\":\"Cel\",\"bv\":1,\"bs\":2,\"bver\":10,\"n\":\"x\","
            + "\"u\":\"%RH\",\"v\":-3.25,\"s\":4,\"t\":-5,\"ut\":60},"
            + "{\"n\":\"y\",\"vs\":\"Machine Room\"},{\"n\":\"z\",\"vb\":false},"
            + "{\"n\":\"w\",\"vd\":\"aGkgCg\"}]";

    List<SenmlRecord> pack = decode(json);

    assertThat(pack.get(0))
        .isEqualTo(
            SenmlRecord.builder()
                .bn("a:")
                .bt(1.5e9)
                .bu("Cel")
                .bv(1d)
                .bs(2d)
                .bver(10)
                .n("x")
                .u("%RH")
                .v(-3.25)
                .s(4d)
                .t(-5d)
                .ut(60d)
                .build());
    assertThat(pack.get(1).vs()).isEqualTo("Machine Room");
    assertThat(pack.get(2).vb()).isFalse();
    assertThat(pack.get(3).vd()).isEqualTo("hi \n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsTheFlagExtension() throws DecodeException {
    assertThat(decode("[{\"n\":\"a:pm25\",\"v\":1,\"flag\":\"D\"}]").get(0).flag()).isEqualTo("D");
  }

  @Test
  void ignoresUnknownLabelsWhateverTheirValue() throws DecodeException {
    assertThat(decode("[{\"n\":\"a:pm25\",\"ct\":{\"x\":[1,[2,{}]]},\"v\":1}]"))
        .containsExactly(SenmlRecord.builder().n("a:pm25").v(1d).build());
  }

  @Test
  void toleratesPaddingInDataValues() throws DecodeException {
    assertThat(decode("[{\"n\":\"w\",\"vd\":\"aGk=\"}]").get(0).vd())
        .isEqualTo("hi".getBytes(UTF_8));
  }

  @Test
  void keepsNumbersTooLargeForADoubleAsInfinityForTheResolverToReject() throws DecodeException {
    assertThat(decode("[{\"n\":\"a:pm25\",\"v\":1e999}]").get(0).v()).isInfinite();
  }

  @Test
  void rejectsAPayloadThatIsNotJson() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":1,}]");
    assertThat(e.reason()).startsWith("malformed JSON: Unexpected character ('}'");
    assertThat(e.location()).isEqualTo("offset 21");
  }

  @Test
  void rejectsAnEmptyPayload() {
    assertThat(failure("").reason())
        .isEqualTo("empty payload: a SenML pack is an array of records");
  }

  @Test
  void rejectsAPackThatIsNotAnArray() {
    DecodeException e = failure("{\"n\":\"a:pm25\",\"v\":1}");
    assertThat(e.reason())
        .isEqualTo("a SenML pack is an array of records (RFC 8428 §5), found an object");
    assertThat(e.location()).isEqualTo("offset 0");
  }

  @Test
  void rejectsAnEmptyPack() {
    DecodeException e = failure("[]");
    assertThat(e.reason()).isEqualTo("empty pack: no records");
    assertThat(e.location()).isEqualTo("offset 0");
  }

  @Test
  void rejectsARecordThatIsNotAnObject() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":1},[1]]");
    assertThat(e.reason()).isEqualTo("a record is an object, found an array");
    assertThat(e.location()).isEqualTo("record 1");
  }

  @Test
  void rejectsAKnownLabelOfTheWrongType() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":\"35.2\"}]");
    assertThat(e.reason()).isEqualTo("\"v\" must be a number, found a text string");
    assertThat(e.location()).isEqualTo("record 0, v");
  }

  @Test
  void rejectsNullForAKnownLabel() {
    assertThat(failure("[{\"n\":null,\"v\":1}]").reason())
        .isEqualTo("\"n\" must be a text string, found null");
  }

  @Test
  void rejectsAFractionalVersion() {
    DecodeException e = failure("[{\"bver\":10.0,\"n\":\"a:pm25\",\"v\":1}]");
    assertThat(e.reason()).isEqualTo("\"bver\" must be an integer, found a number");
    assertThat(e.location()).isEqualTo("record 0, bver");
  }

  @Test
  void rejectsAVersionBeyondTheIntegerRange() {
    assertThat(failure("[{\"bver\":99999999999,\"n\":\"a:pm25\",\"v\":1}]").reason())
        .isEqualTo("bver 99999999999 is out of range");
  }

  @Test
  void rejectsADuplicateLabel() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":1,\"v\":2}]");
    assertThat(e.reason()).isEqualTo("duplicate label \"v\"");
    assertThat(e.location()).isEqualTo("record 0, v");
  }

  @Test
  void rejectsAMustUnderstandLabelItDoesNotKnow() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":1,\"foo_\":1}]");
    assertThat(e.reason())
        .isEqualTo("must-understand label \"foo_\" is not supported (RFC 8428 §4.4)");
    assertThat(e.location()).isEqualTo("record 0");
  }

  @Test
  void rejectsADataValueThatIsNotBase64Url() {
    DecodeException e = failure("[{\"n\":\"w\",\"vd\":\"a+b/\"}]");
    assertThat(e.reason()).startsWith("vd is not base64url (RFC 4648 §5)");
    assertThat(e.location()).isEqualTo("record 0, vd");
  }

  @Test
  void rejectsContentAfterThePack() {
    DecodeException e = failure("[{\"n\":\"a:pm25\",\"v\":1}] [");
    assertThat(e.reason()).isEqualTo("content after the end of the pack");
  }

  @Test
  void rejectsATruncatedPack() {
    assertThat(failure("[{\"n\":\"a:pm25\",\"v\":1}").reason()).startsWith("malformed JSON");
  }

  @Test
  void rejectsUtf16() {
    byte[] utf16 = "[{\"n\":\"a:pm25\",\"v\":1}]".getBytes(StandardCharsets.UTF_16BE);
    assertThatThrownBy(() -> SenmlJson.decode(utf16))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("SenML JSON must be UTF-8 (RFC 8428 §5)");
              assertThat(e.location()).isEqualTo("offset 0");
            });
  }

  @Test
  void rejectsDeepNestingInAnIgnoredField() {
    String deep = "[{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}]";
    assertThat(failure(deep).reason()).startsWith("malformed JSON: Document nesting depth (17)");
  }

  @Test
  void rejectsOverlongNumbers() {
    assertThat(failure("[{\"n\":\"a:pm25\",\"v\":" + "1".repeat(1000) + "}]").reason())
        .startsWith("malformed JSON: Number value length");
  }

  @Test
  void writesTheCompactPackOfTheArchitectureExample() {
    List<SenmlRecord> pack =
        List.of(
            SenmlRecord.builder()
                .bn("wujiang-air-01:")
                .bt(1763683200d)
                .n("pm25")
                .u("ug/m3")
                .v(35.2)
                .build(),
            SenmlRecord.builder().n("pm10").v(80d).build());

    assertThat(new String(SenmlJson.encode(pack), UTF_8)).isEqualTo(ARCHITECTURE_EXAMPLE);
  }

  @Test
  void writesExponentsInLowerCase() {
    List<SenmlRecord> pack = List.of(SenmlRecord.builder().n("x").v(1.0e-7).t(1.5e300).build());

    assertThat(new String(SenmlJson.encode(pack), UTF_8))
        .isEqualTo("[{\"n\":\"x\",\"v\":1.0e-7,\"t\":1.5e300}]");
  }

  @Test
  void refusesToWriteNaN() {
    List<SenmlRecord> pack = List.of(SenmlRecord.builder().n("x").v(Double.NaN).build());
    assertThatThrownBy(() -> SenmlJson.encode(pack))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SenML JSON cannot carry NaN in v");
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

    assertThat(SenmlJson.decode(SenmlJson.encode(pack))).isEqualTo(pack);
  }
}
