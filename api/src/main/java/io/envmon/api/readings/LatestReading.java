package io.envmon.api.readings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A point's latest reading, with what it means by the standards. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatestReading(
    String pointId,
    String cityId,
    String kind,
    String name,
    String status,
    @Nullable Instant time,
    Map<String, Double> values,
    Map<String, String> flags,
    @Nullable Air air,
    @Nullable Water water,
    @Nullable Noise noise) {

  /** Hourly AQI (HJ 633-2012) of [hourStart, hourStart + 1 h): the last complete hour with data. */
  @Serdeable
  public record Air(
      Instant hourStart,
      int aqi,
      String category,
      String categoryZh,
      int level,
      List<String> primaryPollutants,
      Map<String, Integer> iaqi) {}

  /** Section class (GB 3838-2002) from the latest valid value of each item in the window. */
  @Serdeable
  public record Water(
      String sectionClass,
      String targetClass,
      boolean compliant,
      List<String> determiningItems,
      List<String> itemsWorseThanTarget) {}

  /** Latest valid Leq against the zone's limit for the local period it was measured in. */
  @Serdeable
  public record Noise(
      String zone,
      String period,
      Instant measuredAt,
      double leqDbA,
      int limitDbA,
      double exceedanceDbA,
      boolean compliant) {}
}
