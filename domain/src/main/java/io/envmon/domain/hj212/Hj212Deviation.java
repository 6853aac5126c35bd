package io.envmon.domain.hj212;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Ways real stations depart from HJ 212 that envmon can read anyway, for the stations whose entry
 * in the credentials file names them ({@code hj212.tolerate=crc-modbus,lowercase-hex}). Strict by
 * default: a packet with a deviation its station does not tolerate is refused with the reason.
 */
public enum Hj212Deviation {
  /** The CRC is CRC-16/MODBUS (register XOR byte), not HJ 212's (register >> 8, then XOR). */
  CRC_MODBUS("crc-modbus", "the CRC is CRC-16/MODBUS, not HJ 212's CRC"),
  /** CRC-16/MODBUS printed low byte first, as MODBUS sends it on the wire. */
  CRC_SWAPPED("crc-swapped", "the CRC is CRC-16/MODBUS with its two bytes swapped"),
  /** The CRC's hex digits in lower case; HJ 212 prints them upper case. */
  LOWERCASE_HEX("lowercase-hex", "the CRC is in lower-case hex"),
  /** QN as 13 digits of epoch milliseconds instead of {@code YYYYMMDDhhmmsszzz}. */
  QN_EPOCH_MILLIS("qn-epoch-millis", "QN is epoch milliseconds, not YYYYMMDDhhmmsszzz"),
  /** A data segment over the 1,024 bytes HJ 212-2017 table 1 allows (envmon frames up to 4096). */
  LONG_SEGMENT("long-segment", "the data segment is longer than 1024 bytes"),
  /** The data area {@code CP=&&…} without its closing {@code &&}. */
  MISSING_FINAL_TERMINATOR("missing-final-terminator", "CP=&& is not closed by &&"),
  /** A {@code ;} (or {@code ,}) right before the closing {@code &&}. */
  TRAILING_SEMICOLON("trailing-semicolon", "a ; stands before the closing &&");

  private final String setting;
  private final String description;

  Hj212Deviation(String setting, String description) {
    this.setting = setting;
    this.description = description;
  }

  /** The name in {@code hj212.tolerate} and in metric labels, e.g. {@code crc-modbus}. */
  public String setting() {
    return setting;
  }

  /** What the station does, in words. */
  public String description() {
    return description;
  }

  public static Optional<Hj212Deviation> bySetting(String setting) {
    return Arrays.stream(values()).filter(d -> d.setting.equals(setting)).findFirst();
  }

  /** Every setting name, comma-separated, for error messages. */
  public static String settings() {
    return Arrays.stream(values()).map(Hj212Deviation::setting).collect(Collectors.joining(", "));
  }
}
