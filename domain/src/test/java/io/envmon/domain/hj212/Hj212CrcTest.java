package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HJ 212-2017 CRC16")
class Hj212CrcTest {

  /** The data segment of the known-good packet of the standard (docs/standards.md §7). */
  static final String KNOWN_SEGMENT =
      "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
          + "CP=&&RtdInterval=30&&";

  @Test
  void theKnownDataSegmentIs101Bytes() {
    assertThat(KNOWN_SEGMENT.getBytes(US_ASCII)).hasSize(101);
  }

  @Test
  void computesTheCrcOfTheStandardsKnownGoodPacket() {
    assertThat(Hj212Crc.crc16(KNOWN_SEGMENT.getBytes(US_ASCII))).isEqualTo(0x1C80);
  }

  @Test
  void printsTheCrcAsFourUpperCaseHexDigits() {
    assertThat(Hj212Crc.hex(0x1C80)).isEqualTo("1C80");
    assertThat(Hj212Crc.hex(0x00AB)).isEqualTo("00AB");
  }

  @Test
  void computesOverAnySliceOfABuffer() {
    byte[] packet = ("##0101" + KNOWN_SEGMENT + "1C80\r\n").getBytes(US_ASCII);
    assertThat(Hj212Crc.crc16(packet, 6, 101)).isEqualTo(0x1C80);
  }

  @Test
  void startsFromAllOnesForAnEmptySegment() {
    assertThat(Hj212Crc.crc16(new byte[0])).isEqualTo(0xFFFF);
  }

  @Test
  void differsFromModbusCrc16() {
    assertThat(Hj212Crc.crc16(KNOWN_SEGMENT.getBytes(US_ASCII)))
        .isNotEqualTo(modbusCrc16(KNOWN_SEGMENT.getBytes(US_ASCII)));
  }

  /** Modbus CRC16: XORs the byte into the low byte of the register without shifting it first. */
  private static int modbusCrc16(byte[] bytes) {
    int register = 0xFFFF;
    for (byte b : bytes) {
      register ^= b & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        boolean lsb = (register & 1) != 0;
        register >>>= 1;
        if (lsb) {
          register ^= 0xA001;
        }
      }
    }
    return register;
  }
}
