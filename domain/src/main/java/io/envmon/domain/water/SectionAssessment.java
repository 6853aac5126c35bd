package io.envmon.domain.water;

import io.envmon.domain.reading.Parameter;
import java.util.List;
import java.util.Map;

/**
 * The class of a section by the single-factor method (GB 3838-2002 §5): the worst class of its
 * evaluated items, the items that set it, and every item's own class.
 */
public record SectionAssessment(
    WaterClass sectionClass,
    Map<Parameter, WaterClass> itemClasses,
    List<Parameter> determiningItems) {
  public SectionAssessment {
    itemClasses = Map.copyOf(itemClasses);
    determiningItems = List.copyOf(determiningItems);
  }

  /** Meets the target: the section's class is the target class or better. */
  public boolean compliesWith(WaterClass targetClass) {
    return !sectionClass.isWorseThan(targetClass);
  }

  /** Items whose class is worse than the target (超标项目). */
  public List<Parameter> itemsWorseThan(WaterClass targetClass) {
    return itemClasses.entrySet().stream()
        .filter(e -> e.getValue().isWorseThan(targetClass))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
