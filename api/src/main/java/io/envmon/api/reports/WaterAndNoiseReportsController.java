package io.envmon.api.reports;

import io.envmon.api.security.Viewer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** The monthly water report and the daily noise report of the points a user may see. */
@Controller("/api/v1/reports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class WaterAndNoiseReportsController {

  private final WaterAndNoiseReportService reports;

  public WaterAndNoiseReportsController(WaterAndNoiseReportService reports) {
    this.reports = reports;
  }

  @Get("/water/monthly")
  @Produces({MediaType.APPLICATION_JSON, Csv.TEXT_CSV})
  @Operation(
      summary = "The monthly water report (月报) per section",
      description =
          "Per visible WATER section and calendar month in its city's time: each item's mean of"
              + " the month's valid (flag N), not review-invalidated values, its GB 3838-2002"
              + " class and, above the target class's upper limit, the exceedance multiple; the"
              + " section's class (the worst item class), whether it meets its target, the"
              + " determining items and the items worse than the target. JSON, or CSV with"
              + " format=csv or Accept: text/csv.")
  @ApiResponse(
      responseCode = "200",
      description = "one row per section",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WaterMonthlyReport.class)),
        @Content(mediaType = Csv.TEXT_CSV, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "400",
      description = "month missing or not YYYY-MM, a point that is not WATER, bad format")
  @ApiResponse(responseCode = "404", description = "no such city, or no such visible point")
  public HttpResponse<?> waterMonthly(
      Authentication authentication,
      @Parameter(description = "the month, YYYY-MM", example = "2026-11") @QueryValue String month,
      @Parameter(description = "one city's visible sections") @QueryValue @Nullable String city,
      @Parameter(description = "one WATER section") @QueryValue @Nullable String point,
      @Parameter(description = "json (default) or csv") @QueryValue @Nullable String format,
      @Header(HttpHeaders.ACCEPT) @Nullable String accept) {
    boolean csv = Csv.wanted(format, accept);
    WaterMonthlyReport report = reports.water(Viewer.of(authentication), month, city, point);
    if (!csv) {
      return Csv.json(report);
    }
    return Csv.download(
        WaterAndNoiseReportCsv.water(report),
        "water-monthly-"
            + report.month()
            + (city == null ? "" : "-" + city)
            + (point == null ? "" : "-" + point)
            + ".csv");
  }

  @Get("/noise/daily")
  @Produces({MediaType.APPLICATION_JSON, Csv.TEXT_CSV})
  @Operation(
      summary = "The daily noise report: Ld and Ln per point, compliance per city and zone",
      description =
          "Per visible NOISE point and day: the day level Ld (the 16 hours from the end of the"
              + " city's night window, 06:00–22:00 by default) and the night level Ln (the 8 hours"
              + " after), each the energy average of the period's hourly Leq, an hour's Leq the"
              + " energy average of its valid (flag N), not review-invalidated readings; against"
              + " the zone's GB 3096-2008 limits, with the hours that had data. Per city and zone"
              + " (scope ZONE, unless point is given): how many points were evaluated and within"
              + " the limit, by day and by night. JSON, or CSV with format=csv or Accept: text/csv.")
  @ApiResponse(
      responseCode = "200",
      description = "one row per point and day, and per city, zone and day",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NoiseDailyReport.class)),
        @Content(mediaType = Csv.TEXT_CSV, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "400",
      description =
          "date missing or not YYYY-MM-DD, to before date, over 31 days, a point that is not"
              + " NOISE, bad format")
  @ApiResponse(responseCode = "404", description = "no such city, or no such visible point")
  public HttpResponse<?> noiseDaily(
      Authentication authentication,
      @Parameter(description = "the (first) day, YYYY-MM-DD", example = "2026-11-30") @QueryValue
          String date,
      @Parameter(description = "the last day, inclusive; at most 31 days in all")
          @QueryValue
          @Nullable
          String to,
      @Parameter(description = "one city's visible points and zones") @QueryValue @Nullable
          String city,
      @Parameter(description = "one NOISE point") @QueryValue @Nullable String point,
      @Parameter(description = "json (default) or csv") @QueryValue @Nullable String format,
      @Header(HttpHeaders.ACCEPT) @Nullable String accept) {
    boolean csv = Csv.wanted(format, accept);
    NoiseDailyReport report = reports.noise(Viewer.of(authentication), date, to, city, point);
    if (!csv) {
      return Csv.json(report);
    }
    return Csv.download(
        WaterAndNoiseReportCsv.noise(report),
        "noise-daily-"
            + report.from()
            + (report.to().equals(report.from()) ? "" : "_" + report.to())
            + (city == null ? "" : "-" + city)
            + (point == null ? "" : "-" + point)
            + ".csv");
  }
}
