package io.envmon.api.readings;

import io.envmon.api.security.Viewer;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Optional;

/** Readings of the points a user may see: one point's series, and every point's latest. */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReadingsController {

  private final ReadingsService readings;

  public ReadingsController(ReadingsService readings) {
    this.readings = readings;
  }

  @Get("/points/{id}/readings")
  @Operation(
      summary = "A point's readings over [from, to): raw rows, or hourly or daily buckets",
      description =
          "view=reviewed (the default) leaves out the values a review mark invalidated (docs/api.md"
              + " 'Review of data'); view=raw answers every stored value, each covered by a mark"
              + " with that mark's verdict and reason in review: only for the users of the point's"
              + " city and the coordinator.")
  @ApiResponse(
      responseCode = "400",
      description =
          "bad from, to, interval or view, or too long a range; interval=raw from before the raw"
              + " readings' retention (envmon.retention.raw: ask for 1h or 1d)")
  @ApiResponse(
      responseCode = "403",
      description = "view=raw of another city's point (its raw values are its city's)")
  @ApiResponse(responseCode = "404", description = "no such point, or not visible")
  public ReadingSeries series(
      Authentication authentication,
      @PathVariable String id,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String interval,
      @Parameter(
              description = "reviewed (default) or raw",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"reviewed", "raw"}))
          @QueryValue
          @Nullable
          String view) {
    return readings.series(Viewer.of(authentication), id, from, to, interval, view);
  }

  @Get("/readings/latest")
  @Operation(
      summary =
          "Every visible point's latest reading, with its hourly AQI, section class or noise"
              + " compliance",
      description =
          "Computed from the readings the API keeps in memory from Kafka envmon.readings.v1 (the"
              + " latest view); while that view catches up after a start, from InfluxDB. The"
              + " header X-Envmon-Latest-Source says which. An AIR point's hourly AQI is computed"
              + " by the AQI standard in force at the rated hour's start and names it"
              + " (air.aqiStandard: HJ 633-2012 before envmon.aqi.hj633-2026-from, by default"
              + " 2026-03-01 00:00 +08:00, HJ 633-2026 from it on); by HJ 633-2026 5.3.1 an AQI of"
              + " at most 100 with a pollutant missing is NA (air.aqiPublished false).")
  @ApiResponse(
      responseCode = "200",
      description = "one entry per visible point that is not decommissioned",
      headers =
          @Header(
              name = LATEST_SOURCE,
              description = "view (the latest view) or influxdb (one query per point)",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"view", "influxdb"})))
  public HttpResponse<List<LatestReading>> latest(
      Authentication authentication,
      @QueryValue @Nullable String city,
      @QueryValue @Nullable PointKind kind) {
    ReadingsService.Latest latest =
        readings.latest(
            Viewer.of(authentication), Optional.ofNullable(city), Optional.ofNullable(kind));
    return HttpResponse.ok(latest.readings()).header(LATEST_SOURCE, latest.source());
  }

  /** The response header naming where "latest" was computed from. */
  public static final String LATEST_SOURCE = "X-Envmon-Latest-Source";
}
