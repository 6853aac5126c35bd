package io.envmon.api.sta;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SensorThings entity sets envmon answers (OGC 18-088 §8.2, sensing core, without
 * FeaturesOfInterest and HistoricalLocations): their properties and navigation properties.
 */
public enum EntitySet {
  THINGS(
      "Things",
      List.of("name", "description", "properties"),
      Map.of("Locations", "Locations", "Datastreams", "Datastreams")),
  LOCATIONS(
      "Locations",
      List.of("name", "description", "encodingType", "location", "properties"),
      Map.of("Things", "Things")),
  DATASTREAMS(
      "Datastreams",
      List.of("name", "description", "unitOfMeasurement", "observationType", "properties"),
      Map.of(
          "Thing", "Things",
          "Sensor", "Sensors",
          "ObservedProperty", "ObservedProperties",
          "Observations", "Observations")),
  SENSORS(
      "Sensors",
      List.of("name", "description", "encodingType", "metadata", "properties"),
      Map.of("Datastreams", "Datastreams")),
  OBSERVED_PROPERTIES(
      "ObservedProperties",
      List.of("name", "definition", "description", "properties"),
      Map.of("Datastreams", "Datastreams")),
  OBSERVATIONS(
      "Observations",
      List.of("phenomenonTime", "resultTime", "result", "parameters"),
      Map.of("Datastream", "Datastreams"));

  private final String name;
  private final List<String> properties;
  private final Map<String, String> navigation;

  EntitySet(String name, List<String> properties, Map<String, String> navigation) {
    this.name = name;
    this.properties = properties;
    this.navigation = navigation;
  }

  /** The set's name in paths, e.g. {@code Things}. */
  public String setName() {
    return name;
  }

  public List<String> properties() {
    return properties;
  }

  /** Navigation properties by name, each with the set it leads to. */
  public Map<String, String> navigation() {
    return navigation;
  }

  /** Whether navigating {@code property} gives one entity (Thing) rather than a collection. */
  public static boolean isSingle(String property) {
    return !property.endsWith("s");
  }

  public Optional<EntitySet> target(String property) {
    return Optional.ofNullable(navigation.get(property)).flatMap(EntitySet::named);
  }

  public static Optional<EntitySet> named(String name) {
    return Arrays.stream(values()).filter(s -> s.name.equals(name)).findFirst();
  }
}
