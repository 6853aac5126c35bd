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

/** The daily air report (日报) of the points a user may see, as JSON or CSV. */
@Controller("/api/v1/reports/air")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DailyAirReportController {

  private final DailyAirReportService reports;

  public DailyAirReportController(DailyAirReportService reports) {
    this.reports = reports;
  }

  @Get("/daily")
  @Produces({MediaType.APPLICATION_JSON, Csv.TEXT_CSV})
  @Operation(
      summary = "The daily air report (日报) per point, city and cluster",
      description =
          "Per natural day in the city's time: the 24-h means of SO2, NO2, PM10, CO, PM2.5 and"
              + " O3's daily maximum 8-h mean from the hourly means of valid (flag N) readings"
              + " (a 24-h mean needs 20 hourly means, an 8-h mean 6 of its 8, the O3 maximum 14"
              + " valid 8-h means ending 08:00…24:00; otherwise missing with its reason), each"
              + " pollutant's IAQI, the AQI, category and primary pollutants by the AQI standard in"
              + " force at the day's start (aqiStandard; HJ 633-2026 5.3.1: NA when a pollutant is"
              + " missing and the AQI is at most 100), and the exceedances of the grade II limits"
              + " that go with it (limitsStandard). A city's values are the means of its visible"
              + " points' values, the cluster's of all visible points'. JSON, or CSV with"
              + " format=csv or Accept: text/csv.")
  @ApiResponse(
      responseCode = "200",
      description = "one row per point, city and cluster and day",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DailyAirReport.class)),
        @Content(mediaType = Csv.TEXT_CSV, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "400",
      description = "date missing or not YYYY-MM-DD, to before date, over 31 days")
  @ApiResponse(responseCode = "404", description = "no such city, or no such visible point")
  public HttpResponse<?> daily(
      Authentication authentication,
      @Parameter(description = "the (first) day, YYYY-MM-DD", example = "2026-03-01") @QueryValue
          String date,
      @Parameter(description = "the last day, inclusive; at most 31 days in all")
          @QueryValue
          @Nullable
          String to,
      @Parameter(description = "one city: its visible points and the city") @QueryValue @Nullable
          String city,
      @Parameter(description = "one AIR point") @QueryValue @Nullable String point,
      @Parameter(description = "json (default) or csv") @QueryValue @Nullable String format,
      @Header(HttpHeaders.ACCEPT) @Nullable String accept) {
    boolean csv = Csv.wanted(format, accept);
    DailyAirReport report = reports.report(Viewer.of(authentication), date, to, city, point);
    if (!csv) {
      return Csv.json(report);
    }
    String name =
        "air-daily-"
            + report.from()
            + (report.to().equals(report.from()) ? "" : "_" + report.to())
            + (city == null ? "" : "-" + city)
            + (point == null ? "" : "-" + point)
            + ".csv";
    return Csv.download(DailyAirReportCsv.of(report), name);
  }
}
