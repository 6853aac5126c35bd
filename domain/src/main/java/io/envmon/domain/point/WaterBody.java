package io.envmon.domain.point;

/**
 * The kind of surface water a section samples. GB 3838-2002 table 1 sets stricter TP limits for
 * lakes and reservoirs and evaluates TN for them only. envmon rule: a section is a RIVER unless
 * said otherwise.
 */
public enum WaterBody {
  RIVER,
  LAKE,
  RESERVOIR;

  public boolean isLakeOrReservoir() {
    return this != RIVER;
  }
}
