package io.envmon.domain.point;

import java.util.Optional;

/**
 * Acoustic environment functional zone with its Leq limits in dB(A), GB 3096-2008 table 1 (5.1).
 */
public enum NoiseZone {
  /** Convalescent and quiet areas. */
  Z0("0", 50, 40),
  /** Residential, medical, education, research, administration. */
  Z1("1", 55, 45),
  /** Mixed residential, commercial, industrial. */
  Z2("2", 60, 50),
  /** Industrial and warehousing. */
  Z3("3", 65, 55),
  /** Both sides of highways, urban trunk roads, inland waterways. */
  Z4A("4a", 70, 55),
  /** Both sides of railway trunk lines. */
  Z4B("4b", 70, 60);

  private final String code;
  private final int dayLimitDbA;
  private final int nightLimitDbA;

  NoiseZone(String code, int dayLimitDbA, int nightLimitDbA) {
    this.code = code;
    this.dayLimitDbA = dayLimitDbA;
    this.nightLimitDbA = nightLimitDbA;
  }

  /** The zone as the contract writes it: "0", "1", "2", "3", "4a", "4b". */
  public String code() {
    return code;
  }

  public int dayLimitDbA() {
    return dayLimitDbA;
  }

  public int nightLimitDbA() {
    return nightLimitDbA;
  }

  public static Optional<NoiseZone> parse(String code) {
    for (NoiseZone zone : values()) {
      if (zone.code.equals(code)) {
        return Optional.of(zone);
      }
    }
    return Optional.empty();
  }
}
