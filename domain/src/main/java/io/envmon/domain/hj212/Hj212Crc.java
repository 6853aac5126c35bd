package io.envmon.domain.hj212;

import java.util.Objects;

/**
 * The CRC16 of an HJ 212-2017 packet, computed over the data segment only (docs/standards.md §7).
 * Its first step differs from Modbus CRC16: the register is shifted right by eight before the byte
 * is XORed in.
 */
public final class Hj212Crc {

  private Hj212Crc() {}

  /** The CRC of a whole data segment. */
  public static int crc16(byte[] dataSegment) {
    Objects.requireNonNull(dataSegment, "dataSegment");
    return crc16(dataSegment, 0, dataSegment.length);
  }

  /** The CRC of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static int crc16(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int register = 0xFFFF;
    for (int i = offset; i < offset + length; i++) {
      register = (register >>> 8) ^ (bytes[i] & 0xFF);
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

  /**
   * CRC-16/MODBUS (init 0xFFFF, reflected polynomial 0xA001, register XOR byte): what some stations
   * send instead of {@link #crc16}; read only for stations that tolerate it.
   */
  public static int modbus(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int register = 0xFFFF;
    for (int i = offset; i < offset + length; i++) {
      register ^= bytes[i] & 0xFF;
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

  /** The CRC with its two bytes swapped, as MODBUS sends them (low byte first). */
  public static int swapBytes(int crc) {
    return ((crc & 0xFF) << 8) | ((crc >>> 8) & 0xFF);
  }

  /** The CRC as the packet prints it: four upper-case hex digits. */
  public static String hex(int crc) {
    return String.format("%04X", crc & 0xFFFF);
  }
}
