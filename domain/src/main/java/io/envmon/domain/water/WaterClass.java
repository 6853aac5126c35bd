package io.envmon.domain.water;

import java.util.Optional;

/** Surface-water environmental quality class, GB 3838-2002 §4, from best (I) to worse than V. */
public enum WaterClass {
  I("I", "Ⅰ类"),
  II("II", "Ⅱ类"),
  III("III", "Ⅲ类"),
  IV("IV", "Ⅳ类"),
  V("V", "Ⅴ类"),
  /** 劣Ⅴ类: worse than class V in at least one evaluated item. */
  WORSE_THAN_V("劣V", "劣Ⅴ类");

  private final String label;
  private final String zhLabel;

  WaterClass(String label, String zhLabel) {
    this.label = label;
    this.zhLabel = zhLabel;
  }

  /** Roman numeral, or 劣V. */
  public String label() {
    return label;
  }

  public String zhLabel() {
    return zhLabel;
  }

  public boolean isWorseThan(WaterClass other) {
    return ordinal() > other.ordinal();
  }

  public static WaterClass worst(WaterClass a, WaterClass b) {
    return a.isWorseThan(b) ? a : b;
  }

  /** Accepts "I".."V", "劣V", "劣Ⅴ" and the enum names. */
  public static Optional<WaterClass> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (WaterClass c : values()) {
      if (c.label.equals(text) || c.name().equals(text) || c.zhLabel.equals(text)) {
        return Optional.of(c);
      }
    }
    return "劣Ⅴ".equals(text) ? Optional.of(WORSE_THAN_V) : Optional.empty();
  }
}
