package io.envmon.domain.water;

import io.envmon.domain.point.WaterBody;
import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Surface-water classes of GB 3838-2002 table 1 (basic items), per item and per section. A value
 * equal to a limit belongs to that class; worse than class V is 劣V.
 */
public final class WaterQualityClassifier {

  private static final WaterClass[] CLASSES = {
    WaterClass.I, WaterClass.II, WaterClass.III, WaterClass.IV, WaterClass.V
  };

  // GB 3838-2002 table 1, limits of classes I..V in mg/L.
  private static final double[] DO_AT_LEAST = {7.5, 6, 5, 3, 2};
  private static final double[] CODMN_AT_MOST = {2, 4, 6, 10, 15};
  private static final double[] COD_AT_MOST = {15, 15, 20, 30, 40};
  private static final double[] BOD5_AT_MOST = {3, 3, 4, 6, 10};
  private static final double[] NH3N_AT_MOST = {0.15, 0.5, 1.0, 1.5, 2.0};
  private static final double[] TP_RIVER_AT_MOST = {0.02, 0.1, 0.2, 0.3, 0.4};
  private static final double[] TP_LAKE_AT_MOST = {0.01, 0.025, 0.05, 0.1, 0.2};
  private static final double[] TN_LAKE_AT_MOST = {0.2, 0.5, 1.0, 1.5, 2.0};

  private WaterQualityClassifier() {}

  /**
   * The class of one item, or empty when the item is not evaluated for this water body (TN of
   * rivers; temperature and turbidity, which table 1 gives no class limits for here).
   *
   * @throws IllegalArgumentException for a non-finite or negative value
   */
  public static Optional<WaterClass> classify(
      Parameter item, double measured, WaterBody waterBody) {
    if (!Double.isFinite(measured)) {
      throw new IllegalArgumentException(
          item.canonicalName() + " value " + measured + " is not finite");
    }
    if (measured < 0 && item != Parameter.TEMP) {
      throw new IllegalArgumentException(
          item.canonicalName() + " value " + measured + " is negative");
    }
    // Means of doubles carry float noise (0.1 + 0.2 = 0.30000000000000004): compare at 9 decimals
    // so that a value on a limit belongs to that limit's class.
    double value = Math.round(measured * 1e9) / 1e9;
    boolean lake = waterBody.isLakeOrReservoir();
    return switch (item) {
      // pH 6–9 for classes I to V alike; outside it is 劣V.
      case PH -> Optional.of(value >= 6 && value <= 9 ? WaterClass.I : WaterClass.WORSE_THAN_V);
      case DO -> Optional.of(atLeast(DO_AT_LEAST, value));
      case CODMN -> Optional.of(atMost(CODMN_AT_MOST, value));
      case COD -> Optional.of(atMost(COD_AT_MOST, value));
      case BOD5 -> Optional.of(atMost(BOD5_AT_MOST, value));
      case NH3N -> Optional.of(atMost(NH3N_AT_MOST, value));
      case TP -> Optional.of(atMost(lake ? TP_LAKE_AT_MOST : TP_RIVER_AT_MOST, value));
      case TN -> lake ? Optional.of(atMost(TN_LAKE_AT_MOST, value)) : Optional.empty();
      default -> Optional.empty();
    };
  }

  /**
   * The upper limit of {@code target} (I … V) for an item limited from above, or empty for DO (a
   * lower limit), pH (a range) and items without class limits: the base of the exceedance multiple
   * (超标倍数 = (value − limit) / limit, 《地表水环境质量评价办法（试行）》).
   */
  public static OptionalDouble upperLimit(Parameter item, WaterClass target, WaterBody waterBody) {
    int index = List.of(CLASSES).indexOf(target);
    if (index < 0) {
      return OptionalDouble.empty();
    }
    boolean lake = waterBody.isLakeOrReservoir();
    double[] limits =
        switch (item) {
          case CODMN -> CODMN_AT_MOST;
          case COD -> COD_AT_MOST;
          case BOD5 -> BOD5_AT_MOST;
          case NH3N -> NH3N_AT_MOST;
          case TP -> lake ? TP_LAKE_AT_MOST : TP_RIVER_AT_MOST;
          case TN -> lake ? TN_LAKE_AT_MOST : null;
          default -> null;
        };
    return limits == null ? OptionalDouble.empty() : OptionalDouble.of(limits[index]);
  }

  /**
   * The class of a section from its items' values (single-factor method): the worst item class.
   *
   * @throws IllegalArgumentException when no evaluated item is given
   */
  public static SectionAssessment assess(Map<Parameter, Double> values, WaterBody waterBody) {
    Map<Parameter, WaterClass> itemClasses = new EnumMap<>(Parameter.class);
    values.forEach(
        (item, value) -> classify(item, value, waterBody).ifPresent(c -> itemClasses.put(item, c)));
    if (itemClasses.isEmpty()) {
      throw new IllegalArgumentException("no item with a GB 3838-2002 class limit was given");
    }
    WaterClass worst = WaterClass.I;
    for (WaterClass c : itemClasses.values()) {
      worst = WaterClass.worst(worst, c);
    }
    List<Parameter> determining = new ArrayList<>();
    for (Map.Entry<Parameter, WaterClass> e : itemClasses.entrySet()) {
      if (e.getValue() == worst) {
        determining.add(e.getKey());
      }
    }
    return new SectionAssessment(worst, itemClasses, determining);
  }

  private static WaterClass atMost(double[] limits, double value) {
    for (int i = 0; i < limits.length; i++) {
      if (value <= limits[i]) {
        return CLASSES[i];
      }
    }
    return WaterClass.WORSE_THAN_V;
  }

  private static WaterClass atLeast(double[] limits, double value) {
    for (int i = 0; i < limits.length; i++) {
      if (value >= limits[i]) {
        return CLASSES[i];
      }
    }
    return WaterClass.WORSE_THAN_V;
  }
}
