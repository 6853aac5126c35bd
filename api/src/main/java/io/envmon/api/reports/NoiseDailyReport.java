package io.envmon.api.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The daily noise report: each noise point's day level Ld and night level Ln against its zone's
 * limits (GB 3096-2008), and each city's compliance per zone (docs/api.md "Daily noise report").
 */
@Serdeable
@Schema(
    description = "The daily noise report: one row per point and day, and per city, zone and day")
public record NoiseDailyReport(LocalDate from, LocalDate to, List<Row> rows) {

  /** A point's day, or a city's zone's day. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      LocalDate date,
      @Schema(
              description = "POINT, or ZONE (a city's points of one zone)",
              allowableValues = {"POINT", "ZONE"})
          String scope,
      @Schema(description = "the point's id, or the city's id for a ZONE row") String id,
      String name,
      String cityId,
      @Schema(description = "the acoustic zone (0, 1, 2, 3, 4a, 4b)") String zone,
      @Schema(description = "the city's night window, HH:mm-HH:mm") String night,
      @Schema(description = "the day period's first instant (the night's end)") Instant dayStart,
      @Schema(description = "the night period's first instant (16 h later)") Instant nightStart,
      @Schema(description = "the night period's end (8 h later)") Instant nightEnd,
      @Schema(description = "false while the night is not over") boolean complete,
      int dayLimitDbA,
      int nightLimitDbA,
      @Schema(description = "POINT: the day's energy-average level; absent without data") @Nullable
          Double ldDbA,
      @Schema(description = "POINT: the night's energy-average level; absent without data")
          @Nullable
          Double lnDbA,
      @Schema(description = "POINT: Ld within the day limit; absent without data") @Nullable
          Boolean dayCompliant,
      @Schema(description = "POINT: Ln within the night limit; absent without data") @Nullable
          Boolean nightCompliant,
      @Schema(description = "POINT: hours of the day (of 16) with a valid Leq") @Nullable
          Integer dayHours,
      @Schema(description = "POINT: hours of the night (of 8) with a valid Leq") @Nullable
          Integer nightHours,
      @Schema(description = "ZONE: the points of the zone") @Nullable List<String> points,
      @Schema(description = "ZONE: points with an Ld, and of them within the limit") @Nullable
          Integer dayEvaluated,
      @Nullable Integer dayCompliantPoints,
      @Schema(description = "ZONE: compliant / evaluated, in %; absent when none was evaluated")
          @Nullable
          Double dayComplianceRate,
      @Nullable Integer nightEvaluated,
      @Nullable Integer nightCompliantPoints,
      @Nullable Double nightComplianceRate) {}
}
