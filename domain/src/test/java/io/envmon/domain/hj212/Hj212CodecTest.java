package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HJ 212-2017 packets")
class Hj212CodecTest {

  static final String KNOWN_PACKET =
      "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
          + "CP=&&RtdInterval=30&&1C80\r\n";

  static final String REAL_TIME_SEGMENT =
      "QN=20251121080000123;ST=22;CN=2011;PW=123456;MN=WJAIR01;Flag=5;CP=&&DataTime=20251121080000;"
          + "a34004-Rtd=35.2,a34004-Flag=N;a34002-Rtd=80,a34002-Flag=N&&";

  /** A packet around {@code segment}, with the right length and CRC. */
  static byte[] frame(String segment) {
    byte[] data = segment.getBytes(ISO_8859_1);
    return String.format("##%04d%s%s\r\n", data.length, segment, Hj212Crc.hex(Hj212Crc.crc16(data)))
        .getBytes(ISO_8859_1);
  }

  static DecodeException failure(byte[] frame) {
    try {
      Hj212Codec.decodeFrame(frame);
    } catch (DecodeException e) {
      return e;
    }
    throw new AssertionError("expected a DecodeException for " + new String(frame, ISO_8859_1));
  }

  static DecodeException failure(String frame) {
    return failure(frame.getBytes(ISO_8859_1));
  }

  static void assertFailure(DecodeException e, String reason, String location) {
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.location()).isEqualTo(location);
  }

  @Test
  void decodesTheStandardsKnownGoodPacket() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(KNOWN_PACKET.getBytes(ISO_8859_1));

    assertThat(packet)
        .isEqualTo(
            new Hj212Packet(
                "20160801085857223",
                "32",
                "1062",
                "100000",
                "010000A8900016F000169DC0",
                5,
                null,
                null,
                new CpData(null, Map.of("RtdInterval", "30"), List.of())));
  }

  @Test
  void readsTheFlagBits() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(KNOWN_PACKET.getBytes(ISO_8859_1));

    assertThat(packet.asksForReply()).isTrue();
    assertThat(packet.isSplit()).isFalse();
    assertThat(packet.protocolVersion()).isEqualTo(1);
  }

  @Test
  void refusesALowerCaseCrcUnlessTolerated() throws DecodeException {
    byte[] lowerCase = KNOWN_PACKET.replace("1C80", "1c80").getBytes(ISO_8859_1);
    assertFailure(
        failure(lowerCase),
        "CRC \"1c80\" is not 4 upper-case hex digits; the station's hj212.tolerate=lowercase-hex"
            + " would take it",
        "offset 107");
    Hj212Packet packet =
        Hj212Codec.decodeFrame(
            lowerCase, Hj212Codec.DEFAULT_STATION_ZONE, Set.of(Hj212Deviation.LOWERCASE_HEX));
    assertThat(packet.mn()).isEqualTo("010000A8900016F000169DC0");
  }

  @Test
  void decodesRealTimeDataWithFactorsInPacketOrder() throws DecodeException {
    CpData cp = Hj212Codec.decodeFrame(frame(REAL_TIME_SEGMENT)).cp();

    assertThat(cp.factors())
        .containsExactly(
            new FactorValues("a34004", Map.of("Rtd", "35.2", "Flag", "N")),
            new FactorValues("a34002", Map.of("Rtd", "80", "Flag", "N")));
    assertThat(cp.factors().get(0).fields().keySet()).containsExactly("Rtd", "Flag");
    assertThat(cp.fields()).isEmpty();
  }

  @Test
  void readsDataTimeInChinaStandardTimeByDefault() throws DecodeException {
    assertThat(Hj212Codec.decodeFrame(frame(REAL_TIME_SEGMENT)).cp().dataTime())
        .isEqualTo(Instant.parse("2025-11-21T00:00:00Z"));
  }

  @Test
  void readsDataTimeInTheStationsZone() throws DecodeException {
    assertThat(Hj212Codec.decodeFrame(frame(REAL_TIME_SEGMENT), ZoneOffset.UTC).cp().dataTime())
        .isEqualTo(Instant.parse("2025-11-21T08:00:00Z"));
  }

  @Test
  void mergesTheFieldsOfAFactorSpreadOverGroups() throws DecodeException {
    CpData cp =
        Hj212Codec.decodeFrame(
                frame(
                    "QN=20251121080000123;ST=22;CN=2011;PW=123456;MN=A;Flag=4;"
                        + "CP=&&DataTime=20251121080000;a34004-Rtd=35.2;a34004-Flag=N&&"))
            .cp();

    assertThat(cp.factors())
        .containsExactly(new FactorValues("a34004", Map.of("Rtd", "35.2", "Flag", "N")));
  }

  @Test
  void readsASplitPacketsCounts() throws DecodeException {
    Hj212Packet packet =
        Hj212Codec.decodeFrame(
            frame("QN=20160801085857223;ST=32;CN=2011;PW=100000;MN=A;Flag=7;PNUM=2;PNO=1;CP=&&&&"));

    assertThat(packet.isSplit()).isTrue();
    assertThat(packet.pnum()).isEqualTo(2);
    assertThat(packet.pno()).isEqualTo(1);
  }

  @Test
  void rejectsAPacketNotStartingWithHashes() {
    assertFailure(failure(KNOWN_PACKET.substring(1)), "packet does not start with ##", "offset 0");
  }

  @Test
  void rejectsATruncatedPacket() {
    assertFailure(
        failure("##0101QN"), "truncated packet: 8 bytes, a packet has at least 12", "offset 8");
  }

  @Test
  void rejectsALengthThatIsNotFourDigits() {
    assertFailure(
        failure(KNOWN_PACKET.replace("##0101", "##01a1")),
        "data length \"01a1\" is not 4 decimal digits",
        "offset 2");
  }

  @Test
  void rejectsAPacketWithoutCrLf() {
    assertFailure(
        failure(KNOWN_PACKET.replace("\r\n", "")), "packet does not end with CR LF", "offset 109");
  }

  @Test
  void rejectsALengthThatIsNotTheDataSegments() {
    assertFailure(
        failure(KNOWN_PACKET.replace("##0101", "##0102")),
        "data length mismatch: header says 0102, the data segment is 101 bytes",
        "offset 2");
  }

  @Test
  void rejectsACrcThatIsNotHex() {
    assertFailure(
        failure(KNOWN_PACKET.replace("1C80", "1C8G")),
        "CRC \"1C8G\" is not 4 hex digits",
        "offset 107");
  }

  @Test
  void rejectsACrcMismatch() {
    assertFailure(
        failure(KNOWN_PACKET.replace("1C80", "1C81")),
        "CRC mismatch: expected 1C80, packet says 1C81",
        "offset 107");
  }

  @Test
  void rejectsADataSegmentWithoutCp() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5")),
        "no CP=&&…&& in the data segment",
        "offset 6");
  }

  @Test
  void rejectsACpThatIsNotClosed() {
    assertFailure(
        failure(
            frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;CP=&&RtdInterval=30&")),
        "CP=&& is not closed by && at the end of the data segment; the station's"
            + " hj212.tolerate=missing-final-terminator would take it",
        "offset 63");
  }

  @Test
  void rejectsAnUnknownField() {
    assertFailure(
        failure(
            frame(
                "QN=20160801085857223;ST=32;CN=1062;XX=1;PW=100000;MN=010000A8900016F000169DC0;"
                    + "Flag=5;CP=&&&&")),
        "unknown field \"XX\"",
        "offset 41");
  }

  @Test
  void rejectsAFieldThatIsNotNameValue() {
    assertFailure(
        failure(frame("QN=20160801085857223;garbage;ST=32;CN=1062;PW=100000;MN=A;Flag=5;CP=&&&&")),
        "field \"garbage\" is not name=value",
        "offset 27");
  }

  @Test
  void rejectsADuplicateField() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;MN=B;Flag=5;CP=&&&&")),
        "duplicate field MN",
        "offset 56");
  }

  @Test
  void rejectsAMissingField() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;Flag=5;CP=&&&&")),
        "missing field MN",
        "offset 6");
  }

  @Test
  void rejectsAQnThatIsNotAMillisecondTimestamp() {
    assertFailure(
        failure(frame("QN=2016;ST=32;CN=1062;PW=100000;MN=A;Flag=5;CP=&&&&")),
        "QN \"2016\" is not YYYYMMDDhhmmsszzz",
        "offset 9");
  }

  @Test
  void rejectsAFlagAbove255() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=256;CP=&&&&")),
        "Flag 256 is not a number 0–255",
        "offset 61");
  }

  @Test
  void rejectsASplitPacketWithoutCounts() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=7;CP=&&&&")),
        "Flag 7 marks a split packet but PNUM is missing",
        "offset 61");
  }

  @Test
  void rejectsAPacketNumberBeyondTheCount() {
    assertFailure(
        failure(
            frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=7;PNUM=2;PNO=3;CP=&&&&")),
        "PNO 3 is not within 1 to PNUM 2",
        "offset 74");
  }

  @Test
  void rejectsAnMnLongerThan24Characters() {
    assertFailure(
        failure(
            frame(
                "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=0123456789012345678901234;Flag=5;"
                    + "CP=&&&&")),
        "MN \"0123456789012345678901234\" is not 1 to 24 characters",
        "offset 54");
  }

  @Test
  void rejectsASeparatorInsideAPassword() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=12&456;MN=A;Flag=5;CP=&&&&")),
        "PW \"12&456\" holds a character not allowed in a field",
        "offset 46");
  }

  @Test
  void rejectsACpItemThatIsNotNameValue() {
    assertFailure(
        failure(
            frame(
                "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;"
                    + "CP=&&DataTime=20251121080000;abc&&")),
        "CP item \"abc\" is not name=value",
        "offset 92");
  }

  @Test
  void rejectsAFactorFieldWithoutCode() {
    assertFailure(
        failure(frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;CP=&&-Rtd=1&&")),
        "CP item name \"-Rtd\" is not {factor code}-{field}",
        "offset 68");
  }

  @Test
  void rejectsADuplicateCpItem() {
    assertFailure(
        failure(
            frame(
                "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;"
                    + "CP=&&a34004-Rtd=1;a34004-Rtd=2&&")),
        "duplicate CP item \"a34004-Rtd\"",
        "offset 81");
  }

  @Test
  void rejectsAnImpossibleDataTime() {
    assertFailure(
        failure(
            frame(
                "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;"
                    + "CP=&&DataTime=20251332080000&&")),
        "DataTime \"20251332080000\" is not a valid YYYYMMDDhhmmss time",
        "offset 77");
  }

  @Test
  void writesTheStandardsKnownGoodPacketByteForByte() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(KNOWN_PACKET.getBytes(ISO_8859_1));

    assertThat(new String(Hj212Codec.encode(packet), ISO_8859_1)).isEqualTo(KNOWN_PACKET);
  }

  @Test
  void writesARealTimePacketThatReadsBackTheSame() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(frame(REAL_TIME_SEGMENT));

    assertThat(Hj212Codec.encode(packet)).isEqualTo(frame(REAL_TIME_SEGMENT));
  }

  @Test
  void answersWithA9014DataResponse() throws DecodeException {
    Hj212Packet request = Hj212Codec.decodeFrame(KNOWN_PACKET.getBytes(ISO_8859_1));

    assertThat(new String(Hj212Codec.dataResponse(request), ISO_8859_1))
        .isEqualTo(
            "##0087QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;"
                + "Flag=4;CP=&&&&71C0\r\n");
  }

  @Test
  void refusesToWriteASeparatorInsideAValue() {
    Hj212Packet packet =
        new Hj212Packet(
            "20160801085857223",
            "22",
            "2011",
            "123456",
            "A",
            4,
            null,
            null,
            new CpData(null, Map.of("Note", "a;b"), List.of()));

    assertThatThrownBy(() -> Hj212Codec.encode(packet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("packet is not valid HJ 212: CP item \"b\" is not name=value");
  }

  @Test
  void refusesToWriteASubSecondDataTime() {
    Hj212Packet packet =
        new Hj212Packet(
            "20160801085857223",
            "22",
            "2011",
            "123456",
            "A",
            4,
            null,
            null,
            CpData.of(Instant.parse("2025-11-21T00:00:00.5Z"), List.of()));

    assertThatThrownBy(() -> Hj212Codec.encode(packet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("packet does not read back the same");
  }
}
