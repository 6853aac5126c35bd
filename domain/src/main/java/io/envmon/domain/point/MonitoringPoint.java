package io.envmon.domain.point;

import java.util.Objects;
import java.util.Set;

/**
 * A monitoring point of the registry (docs/standards.md §1 "Monitoring point"). {@code water} is
 * present exactly for WATER points and {@code noiseZone} exactly for NOISE points; {@code
 * sharedWith} names cities exactly when sharing is CITIES.
 */
public record MonitoringPoint(
    String id,
    String cityId,
    PointKind kind,
    String name,
    String nameEn,
    double lat,
    double lon,
    PointStatus status,
    SharingScope sharing,
    Set<String> sharedWith,
    WaterAttributes water,
    NoiseZone noiseZone) {

  /**
   * A point id is a slug of 2-63 characters: lower-case letters, digits and hyphens, not starting
   * with a hyphen ({@code [a-z0-9][a-z0-9-]{1,62}}).
   */
  public static boolean isSlug(String id) {
    int length = id.length();
    if (length < 2 || length > 63 || id.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public MonitoringPoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cityId, "cityId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(sharing, "sharing");
    // Checked by hand: Flink copies every registry entry at every checkpoint through this
    // constructor, and a regular expression was a third of that copy (docs/performance.md).
    if (!isSlug(id)) {
      throw new IllegalArgumentException(
          "point id '" + id + "' is not a slug of 2-63 characters [a-z0-9-]");
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException("lat " + lat + " of " + id + " is outside -90..90");
    }
    if (!(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException("lon " + lon + " of " + id + " is outside -180..180");
    }
    sharedWith = Set.copyOf(sharedWith == null ? Set.of() : sharedWith);
    if ((sharing == SharingScope.CITIES) != !sharedWith.isEmpty()) {
      throw new IllegalArgumentException(
          "sharedWith of " + id + " must name cities exactly when sharing is CITIES");
    }
    if ((kind == PointKind.WATER) != (water != null)) {
      throw new IllegalArgumentException(
          "water attributes of " + id + " must be given exactly for WATER points");
    }
    if ((kind == PointKind.NOISE) != (noiseZone != null)) {
      throw new IllegalArgumentException(
          "noiseZone of " + id + " must be given exactly for NOISE points");
    }
  }

  /**
   * Whether a user of {@code viewerCityId} may see this point: always its own city's; of other
   * cities CLUSTER-shared points and CITIES-shared points that name the viewer's city.
   */
  public boolean isVisibleTo(String viewerCityId) {
    return cityId.equals(viewerCityId)
        || switch (sharing) {
          case PRIVATE -> false;
          case CLUSTER -> true;
          case CITIES -> sharedWith.contains(viewerCityId);
        };
  }

  /** PLANNED or ACTIVE: counted in a sharing-ratio denominator (DECOMMISSIONED is not). */
  public boolean isPlannedOrActive() {
    return status != PointStatus.DECOMMISSIONED;
  }

  /** WATER points count in b2 only when they are important sections; other kinds always count. */
  public boolean countsInSharingRatio() {
    return kind != PointKind.WATER || water.important();
  }
}
