package io.envmon.api.readings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
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

  /**
   * Hourly AQI of [hourStart, hourStart + 1 h), the last complete hour with data, by the AQI
   * standard in force at hourStart (HJ 633-2012 before {@code envmon.aqi.hj633-2026-from}, HJ
   * 633-2026 from it on).
   */
  @Serdeable
  @Schema(
      description =
          "The hourly AQI of the last complete hour with data, by the AQI standard in force at the"
              + " hour's start (aqiStandard)")
  public record Air(
      @Schema(description = "start of the rated clock hour") Instant hourStart,
      @Schema(
              description =
                  "the AQI: the largest IAQI of the pollutants measured in the hour; when"
                      + " aqiPublished is false the standard publishes it as NA")
          int aqi,
      @Schema(description = "AQI category: GOOD … SEVERELY_POLLUTED") String category,
      @Schema(description = "AQI category in Chinese, e.g. 轻度污染") String categoryZh,
      @Schema(description = "AQI level 1 (一级) … 6 (六级)") int level,
      @Schema(description = "pollutants with the largest IAQI, only when the AQI is above 50")
          List<String> primaryPollutants,
      @Schema(description = "IAQI of each pollutant measured in the hour")
          Map<String, Integer> iaqi,
      @Schema(
              description =
                  "the standard the AQI was computed by, in force at hourStart: HJ 633-2012 or HJ"
                      + " 633-2026 (from envmon.aqi.hj633-2026-from, by default 2026-03-01 00:00"
                      + " +08:00)",
              allowableValues = {"HJ 633-2012", "HJ 633-2026"})
          String aqiStandard,
      @Schema(
              description =
                  "false when the AQI is NA: by HJ 633-2026 5.3.1, with a pollutant missing or"
                      + " invalid in the hour only an AQI above 100 is published; the single"
                      + " pollutants' IAQIs are still given. Always true by HJ 633-2012")
          boolean aqiPublished,
      @Schema(
              description =
                  "the hourly report's pollutants (so2, no2, co, o3, pm10, pm25) without a valid"
                      + " value in the hour")
          List<String> missingPollutants) {}

  /** Section class (GB 3838-2002) from the latest valid value of each item in the window. */
  @Serdeable
  public record Water(
      String sectionClass,
      String targetClass,
      boolean compliant,
      List<String> determiningItems,
      List<String> itemsWorseThanTarget) {}

  /**
   * Latest valid Leq against the zone's limit for the local period it was measured in; {@code
   * night} is the city's night window {@code HH:mm-HH:mm} that period was read with.
   */
  @Serdeable
  public record Noise(
      String zone,
      String period,
      Instant measuredAt,
      double leqDbA,
      int limitDbA,
      double exceedanceDbA,
      boolean compliant,
      String night) {}
}
