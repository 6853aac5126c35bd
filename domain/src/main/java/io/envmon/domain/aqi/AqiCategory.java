package io.envmon.domain.aqi;

/** AQI categories of HJ 633-2012 table 2 (the same in HJ 633-2026), with the colours assigned. */
public enum AqiCategory {
  GOOD(1, "一级", "优", "Good", "green", "#00E400", 0, 50),
  MODERATE(2, "二级", "良", "Moderate", "yellow", "#FFFF00", 51, 100),
  LIGHTLY_POLLUTED(3, "三级", "轻度污染", "Lightly polluted", "orange", "#FF7E00", 101, 150),
  MODERATELY_POLLUTED(4, "四级", "中度污染", "Moderately polluted", "red", "#FF0000", 151, 200),
  HEAVILY_POLLUTED(5, "五级", "重度污染", "Heavily polluted", "purple", "#99004C", 201, 300),
  SEVERELY_POLLUTED(6, "六级", "严重污染", "Severely polluted", "maroon", "#7E0023", 301, 500);

  private final int level;
  private final String zhLevel;
  private final String zhName;
  private final String enName;
  private final String colour;
  private final String colourHex;
  private final int lowestAqi;
  private final int highestAqi;

  AqiCategory(
      int level,
      String zhLevel,
      String zhName,
      String enName,
      String colour,
      String colourHex,
      int lowestAqi,
      int highestAqi) {
    this.level = level;
    this.zhLevel = zhLevel;
    this.zhName = zhName;
    this.enName = enName;
    this.colour = colour;
    this.colourHex = colourHex;
    this.lowestAqi = lowestAqi;
    this.highestAqi = highestAqi;
  }

  /** The category of an AQI value; AQI above 500 stays 严重污染. */
  public static AqiCategory of(int aqi) {
    if (aqi < 0) {
      throw new IllegalArgumentException("AQI " + aqi + " is negative");
    }
    for (AqiCategory category : values()) {
      if (aqi <= category.highestAqi) {
        return category;
      }
    }
    return SEVERELY_POLLUTED;
  }

  public int level() {
    return level;
  }

  public String zhLevel() {
    return zhLevel;
  }

  public String zhName() {
    return zhName;
  }

  public String enName() {
    return enName;
  }

  public String colour() {
    return colour;
  }

  public String colourHex() {
    return colourHex;
  }

  public int lowestAqi() {
    return lowestAqi;
  }

  /** 重度污染 or worse: the category that raises an AIR_QUALITY alert by default (AQI > 200). */
  public boolean isHeavyOrWorse() {
    return level >= HEAVILY_POLLUTED.level;
  }
}
