package io.envmon.api.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.envmon.api.readings.LatestReading;
import io.envmon.domain.point.MonitoringPoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Points with their latest values as a GeoJSON FeatureCollection (RFC 7946, WGS 84 lon/lat). */
public final class PointsGeoJson {

  private PointsGeoJson() {}

  @Serdeable
  public record FeatureCollection(
      @Schema(allowableValues = {"FeatureCollection"}) String type, List<Feature> features) {}

  @Serdeable
  public record Feature(
      @Schema(allowableValues = {"Feature"}) String type,
      String id,
      Geometry geometry,
      Properties properties) {}

  @Serdeable
  public record Geometry(
      @Schema(allowableValues = {"Point"}) String type,
      @Schema(description = "[longitude, latitude], WGS 84") List<Double> coordinates) {}

  /** The point and its latest reading (absent before its first). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Properties(
      String id,
      String city,
      String kind,
      String name,
      @Nullable String nameEn,
      String status,
      String sharing,
      @Nullable LatestReading latest) {}

  static FeatureCollection of(List<MonitoringPoint> points, Map<String, LatestReading> latest) {
    return new FeatureCollection(
        "FeatureCollection",
        points.stream()
            .map(
                p ->
                    new Feature(
                        "Feature",
                        p.id(),
                        new Geometry("Point", List.of(p.lon(), p.lat())),
                        new Properties(
                            p.id(),
                            p.cityId(),
                            p.kind().name(),
                            p.name(),
                            p.nameEn(),
                            p.status().name(),
                            p.sharing().name(),
                            latest.get(p.id()))))
            .toList());
  }
}
