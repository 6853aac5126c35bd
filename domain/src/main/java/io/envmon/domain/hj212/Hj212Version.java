package io.envmon.domain.hj212;

import java.util.Optional;

/**
 * The HJ 212 editions a station may speak, told apart by the version number in Flag bits 2–7 (HJ
 * 212-2025 §6.3.3 table 3: 000000 HJ/T 212-2005, 000001 HJ 212-2017, 000010 HJ 212-2025).
 */
public enum Hj212Version {
  HJT_212_2005(0, "HJ/T 212-2005"),
  HJ_212_2017(1, "HJ 212-2017"),
  HJ_212_2025(2, "HJ 212-2025");

  private final int bits;
  private final String title;

  Hj212Version(int bits, String title) {
    this.bits = bits;
    this.title = title;
  }

  /** The value of Flag bits 2–7. */
  public int bits() {
    return bits;
  }

  /** The standard's number, e.g. {@code HJ 212-2025}. */
  public String title() {
    return title;
  }

  /** A short label for metrics: {@code 2005}, {@code 2017}, {@code 2025}. */
  public String year() {
    return title.substring(title.length() - 4);
  }

  /** The Flag of a packet of this version that asks for no reply and is not split. */
  public int plainFlag() {
    return bits << 2;
  }

  public static Optional<Hj212Version> ofBits(int bits) {
    for (Hj212Version version : values()) {
      if (version.bits == bits) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }
}
