package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each deviation real stations have: refused strictly with its reason, read when tolerated. */
@DisplayName("HJ 212 deviations: strict by default, read when the station tolerates them")
class Hj212DeviationsTest {

  private static final String HEADER = "QN=20251121080000123;ST=22;CN=2011;PW=123456;MN=A;Flag=5;";
  private static final String CP = "CP=&&DataTime=20251121080000;a34004-Rtd=35.2,a34004-Flag=N&&";

  private static byte[] frame(String segment, String crc) {
    return String.format("##%04d%s%s\r\n", segment.length(), segment, crc).getBytes(ISO_8859_1);
  }

  private static byte[] frame(String segment) {
    byte[] bytes = segment.getBytes(ISO_8859_1);
    return frame(segment, Hj212Crc.hex(Hj212Crc.crc16(bytes)));
  }

  private static int modbus(String segment) {
    byte[] bytes = segment.getBytes(ISO_8859_1);
    return Hj212Crc.modbus(bytes, 0, bytes.length);
  }

  private static void refusedStrictlyAndReadWhenTolerated(
      byte[] frame, Hj212Deviation deviation, String reason) throws DecodeException {
    assertThatThrownBy(() -> Hj212Codec.decodeFrame(frame))
        .isInstanceOf(DecodeException.class)
        .extracting(e -> ((DecodeException) e).reason())
        .isEqualTo(
            reason + "; the station's hj212.tolerate=" + deviation.setting() + " would take it");
    Hj212Read read = Hj212Codec.read(frame, Hj212Codec.DEFAULT_STATION_ZONE);
    assertThat(read.kinds()).containsExactly(deviation);
    Hj212Packet packet =
        Hj212Codec.decodeFrame(frame, Hj212Codec.DEFAULT_STATION_ZONE, Set.of(deviation));
    assertThat(packet.cp().factor("a34004").flatMap(f -> f.field("Rtd"))).contains("35.2");
  }

  @Test
  void modbusCrc() throws DecodeException {
    String segment = HEADER + CP;
    refusedStrictlyAndReadWhenTolerated(
        frame(segment, Hj212Crc.hex(modbus(segment))),
        Hj212Deviation.CRC_MODBUS,
        "CRC mismatch: expected "
            + Hj212Crc.hex(Hj212Crc.crc16(segment.getBytes(ISO_8859_1)))
            + ", packet says "
            + Hj212Crc.hex(modbus(segment))
            + ", which is CRC-16/MODBUS");
  }

  @Test
  void modbusCrcWithItsBytesSwapped() throws DecodeException {
    String segment = HEADER + CP;
    String swapped = Hj212Crc.hex(Hj212Crc.swapBytes(modbus(segment)));
    refusedStrictlyAndReadWhenTolerated(
        frame(segment, swapped),
        Hj212Deviation.CRC_SWAPPED,
        "CRC mismatch: expected "
            + Hj212Crc.hex(Hj212Crc.crc16(segment.getBytes(ISO_8859_1)))
            + ", packet says "
            + swapped
            + ", which is CRC-16/MODBUS with its bytes swapped");
  }

  @Test
  void aCrcThatIsNoVariantIsRefusedWhateverIsTolerated() {
    String segment = HEADER + CP;
    byte[] frame = frame(segment, "0000");
    assertThatThrownBy(
            () ->
                Hj212Codec.decodeFrame(
                    frame, Hj212Codec.DEFAULT_STATION_ZONE, Set.of(Hj212Deviation.values())))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("CRC mismatch");
  }

  @Test
  void lowerCaseHexAndModbusAtOnceNeedBoth() throws DecodeException {
    String segment = HEADER + CP;
    byte[] frame = frame(segment, Hj212Crc.hex(modbus(segment)).toLowerCase());
    Hj212Read read = Hj212Codec.read(frame, Hj212Codec.DEFAULT_STATION_ZONE);
    assertThat(read.kinds())
        .containsExactlyInAnyOrder(Hj212Deviation.CRC_MODBUS, Hj212Deviation.LOWERCASE_HEX);
    assertThat(read.untolerated(Set.of(Hj212Deviation.CRC_MODBUS)).map(f -> f.deviation()))
        .contains(Hj212Deviation.LOWERCASE_HEX);
    assertThat(read.untolerated(read.kinds())).isEmpty();
  }

  @Test
  void qnAsEpochMillisIsReadAndEchoedInTheReply() throws DecodeException {
    byte[] frame = frame(HEADER.replace("20251121080000123", "1763683200123") + CP);
    refusedStrictlyAndReadWhenTolerated(
        frame, Hj212Deviation.QN_EPOCH_MILLIS, "QN \"1763683200123\" is not YYYYMMDDhhmmsszzz");
    Hj212Packet packet =
        Hj212Codec.decodeFrame(
            frame, Hj212Codec.DEFAULT_STATION_ZONE, Set.of(Hj212Deviation.QN_EPOCH_MILLIS));
    assertThat(new String(Hj212Codec.dataResponse(packet), ISO_8859_1))
        .contains("QN=1763683200123;ST=91;CN=9014");
  }

  @Test
  void aDataSegmentOver1024Bytes() throws DecodeException {
    String segment = HEADER + CP.replace("&&DataTime", "&&Note=" + "x".repeat(1024) + ";DataTime");
    refusedStrictlyAndReadWhenTolerated(
        frame(segment),
        Hj212Deviation.LONG_SEGMENT,
        "data segment of " + segment.length() + " bytes exceeds HJ 212's 1024");
  }

  @Test
  void aMissingFinalTerminator() throws DecodeException {
    refusedStrictlyAndReadWhenTolerated(
        frame(HEADER + CP.substring(0, CP.length() - 2)),
        Hj212Deviation.MISSING_FINAL_TERMINATOR,
        "CP=&& is not closed by && at the end of the data segment");
  }

  @Test
  void aSemicolonBeforeTheClosingTerminator() throws DecodeException {
    refusedStrictlyAndReadWhenTolerated(
        frame(HEADER + CP.replace("N&&", "N;&&")),
        Hj212Deviation.TRAILING_SEMICOLON,
        "empty item: \";\" before the closing &&");
  }

  @Test
  void settingsAreTheNamesOfTheCredentialsFile() {
    assertThat(Hj212Deviation.settings())
        .isEqualTo(
            "crc-modbus, crc-swapped, lowercase-hex, qn-epoch-millis, long-segment,"
                + " missing-final-terminator, trailing-semicolon");
    assertThat(Hj212Deviation.bySetting("crc-modbus")).contains(Hj212Deviation.CRC_MODBUS);
    assertThat(Hj212Deviation.bySetting("crc-MODBUS")).isEmpty();
  }
}
