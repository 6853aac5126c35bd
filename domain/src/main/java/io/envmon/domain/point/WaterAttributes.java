package io.envmon.domain.point;

import io.envmon.domain.water.WaterClass;
import java.util.List;
import java.util.Objects;

/**
 * What a river or lake section adds to a point: its river, whether it is an important section
 * (重要节点断面, counted in b2 of the sharing ratio), its target class and the sections directly
 * downstream of it (any city), which carry WATER_CLASS alerts across borders.
 */
public record WaterAttributes(
    String river,
    boolean important,
    WaterClass targetClass,
    WaterBody waterBody,
    List<String> downstream) {
  public WaterAttributes {
    Objects.requireNonNull(river, "river");
    Objects.requireNonNull(targetClass, "targetClass");
    if (targetClass == WaterClass.WORSE_THAN_V) {
      throw new IllegalArgumentException("a target class is one of I to V, not 劣V");
    }
    waterBody = waterBody == null ? WaterBody.RIVER : waterBody;
    downstream = List.copyOf(downstream == null ? List.of() : downstream);
  }
}
