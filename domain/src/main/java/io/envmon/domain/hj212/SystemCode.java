package io.envmon.domain.hj212;

import io.envmon.domain.point.PointKind;

/** HJ 212-2017 system codes (ST) used by envmon (docs/standards.md §7). */
public enum SystemCode {
  SURFACE_WATER_QUALITY("21"),
  AIR_QUALITY("22"),
  ACOUSTIC_ENVIRONMENT_QUALITY("23"),
  AIR_POLLUTION_SOURCE("31"),
  SURFACE_WATER_POLLUTION_SOURCE("32"),
  SYSTEM_INTERACTION("91");

  private final String st;

  SystemCode(String st) {
    this.st = st;
  }

  /** The code as written in the packet, e.g. {@code 22}. */
  public String st() {
    return st;
  }

  /** The environmental-quality system a kind of monitoring point reports in. */
  public static SystemCode of(PointKind kind) {
    return switch (kind) {
      case AIR -> AIR_QUALITY;
      case WATER -> SURFACE_WATER_QUALITY;
      case NOISE -> ACOUSTIC_ENVIRONMENT_QUALITY;
    };
  }
}
