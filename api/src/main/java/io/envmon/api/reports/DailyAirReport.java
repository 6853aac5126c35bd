package io.envmon.api.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The daily air report (日报, HJ 633 5.2) of the days {@code from} … {@code to}: one row per point,
 * city and cluster and day (docs/api.md "Daily air report").
 */
@Serdeable
@Schema(description = "The daily air report (日报) of the days from … to, one row per scope and day")
public record DailyAirReport(LocalDate from, LocalDate to, List<Row> rows) {

  /** One point's, city's or cluster's natural day. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      @Schema(description = "the natural day in the city's time") LocalDate date,
      @Schema(
              description = "POINT, CITY (mean of its points) or CLUSTER (mean of all points)",
              allowableValues = {"POINT", "CITY", "CLUSTER"})
          String scope,
      @Schema(description = "the point's, city's or cluster's id") String id,
      String name,
      @Schema(description = "the city of a point or city row") @Nullable String cityId,
      @Schema(description = "the city's time zone, whose midnights bound the day") @Nullable
          String timeZone,
      @Schema(description = "the day's first instant") Instant dayStart,
      @Schema(description = "the next day's first instant") Instant dayEnd,
      @Schema(description = "false while the day is not over") boolean complete,
      @Schema(description = "the AQI standard in force at the day's start, e.g. HJ 633-2026")
          String aqiStandard,
      @Schema(description = "the concentration limits compared with (grade II), e.g. GB 3095-2026")
          String limitsStandard,
      @Schema(description = "the daily AQI, the largest IAQI; absent when no pollutant is valid")
          @Nullable
          Integer aqi,
      @Schema(description = "false when HJ 633-2026 5.3.1 publishes the AQI as NA")
          boolean aqiPublished,
      @Schema(description = "the AQI as published: its number, NA, or absent without data")
          @Nullable
          String aqiText,
      @Nullable String category,
      @Nullable String categoryZh,
      @Nullable Integer level,
      @Schema(description = "pollutants with the largest IAQI, only when the AQI is above 50")
          List<String> primaryPollutants,
      @Schema(description = "pollutants whose daily value exceeds its grade II limit")
          List<String> exceedances,
      @Schema(description = "pollutants without a valid daily value (HJ 633-2026 5.3.1)")
          List<String> missingPollutants,
      @Schema(description = "so2, no2, pm10, co, o3 (daily maximum 8-h mean), pm25")
          Map<String, Pollutant> pollutants,
      @Schema(description = "city and cluster rows: the visible points it rests on") @Nullable
          List<String> points,
      @Schema(description = "city and cluster rows: visible AIR points without any valid value")
          @Nullable
          List<String> pointsWithoutData) {}

  /** One pollutant's daily value, its IAQI and its limit. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pollutant(
      @Schema(description = "24h (24-hour mean) or 8h-max (O3 daily maximum 8-hour mean)")
          String statistic,
      @Schema(description = "ug/m3, for CO mg/m3") String unit,
      @Schema(
              description =
                  "the daily value rounded by GB/T 8170 (integers, CO one decimal); absent when"
                      + " the data do not make a valid value")
          @Nullable
          Double value,
      @Schema(
              description =
                  "what the value rests on: valid hourly means (24h), valid 8-h means (8h-max),"
                      + " or points (city and cluster rows)")
          int basis,
      @Nullable Integer iaqi,
      @Schema(description = "the grade II limit of limitsStandard") double limit,
      boolean exceeds,
      @Schema(description = "(value - limit) / limit when it exceeds") @Nullable
          Double exceedanceMultiple,
      @Schema(description = "why there is no value") @Nullable String missingReason) {}
}
