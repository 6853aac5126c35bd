package io.envmon.api.open;

import io.envmon.api.readings.LatestReading;
import io.envmon.api.readings.ReadingSeries;
import io.envmon.api.registry.PointView;
import io.envmon.api.reports.DailyAirReport;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.cors.CrossOrigin;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * The public API: no sign-in, the ACTIVE points shared with the whole cluster (CLUSTER) and their
 * reviewed data only; rate-limited per address, or per API key for a request with one, and open to
 * browsers of any origin ({@link PublicAccessFilter}).
 */
@Controller(PublicDataController.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@CrossOrigin(
    allowedOriginsRegex = ".*",
    allowedMethods = HttpMethod.GET,
    allowCredentials = false,
    allowedHeaders = {ApiKeyService.HEADER, HttpHeaders.ACCEPT},
    exposedHeaders = {HttpHeaders.RETRY_AFTER, PublicAccessFilter.REMAINING})
@ExecuteOn(TaskExecutors.BLOCKING)
// no requirement, or an API key: the key is optional (OpenAPI's empty requirement "{}")
@SecurityRequirement(name = "")
@SecurityRequirement(name = "apiKey")
@Tag(
    name = "Public API",
    description =
        "No sign-in. Only ACTIVE points shared with the cluster (CLUSTER) and their reviewed data;"
            + " at most envmon.public.requests-per-minute (60) requests a minute per address, or"
            + " an API key's own requests per minute with X-API-Key (optional; issued by the"
            + " coordinator), then 429 with Retry-After; CORS: any origin may GET, with"
            + " X-API-Key.")
@ApiResponse(
    responseCode = "401",
    description = "an X-API-Key that is not an API key in force (unknown or revoked)")
@ApiResponse(
    responseCode = "429",
    description =
        "too many requests from this address, or with this API key; Retry-After says how many"
            + " seconds to wait")
public class PublicDataController {

  static final String PATH = "/api/v1/public";

  private final PublicData data;

  public PublicDataController(PublicData data) {
    this.data = data;
  }

  @Get("/points")
  @Operation(summary = "The public points: ACTIVE and shared with the cluster")
  @ApiResponse(responseCode = "200", description = "the points, by id")
  @ApiResponse(responseCode = "400", description = "unknown kind")
  public List<PointView> points(
      @Parameter(description = "one city's public points") @QueryValue @Nullable String city,
      @QueryValue @Nullable PointKind kind) {
    return data.points(city, kind);
  }

  @Get("/readings/latest")
  @Operation(
      summary = "The public points' latest readings, with the hourly AQI (AIR)",
      description = "As GET /api/v1/readings/latest, for the public points only (reviewed data).")
  @ApiResponse(responseCode = "200", description = "one entry per public point")
  @ApiResponse(responseCode = "400", description = "unknown kind")
  public List<LatestReading> latest(
      @QueryValue @Nullable String city, @QueryValue @Nullable PointKind kind) {
    return data.latest(city, kind);
  }

  @Get("/reports/air/daily")
  @Operation(
      summary = "The daily air report (日报) of the public AIR points, their cities and the cluster",
      description =
          "As GET /api/v1/reports/air/daily (JSON), over the public points alone: a city's and the"
              + " cluster's values are the means of their public points' values.")
  @ApiResponse(responseCode = "200", description = "one row per point, city and cluster and day")
  @ApiResponse(
      responseCode = "400",
      description = "date missing or not YYYY-MM-DD, to before date, over 31 days, not AIR")
  @ApiResponse(responseCode = "404", description = "no such city, or no such public point")
  public DailyAirReport dailyAirReport(
      @Parameter(description = "the (first) day, YYYY-MM-DD", example = "2026-03-01") @QueryValue
          String date,
      @Parameter(description = "the last day, inclusive; at most 31 days in all")
          @QueryValue
          @Nullable
          String to,
      @QueryValue @Nullable String city,
      @Parameter(description = "one public AIR point") @QueryValue @Nullable String point) {
    return data.dailyAirReport(date, to, city, point);
  }

  @Get("/points/{id}/readings")
  @Operation(
      summary = "A public point's hourly or daily history over [from, to), reviewed",
      description =
          "Buckets of the valid values (mean, min, max, count), days from the city's midnight;"
              + " the values a review mark invalidated are left out. Raw rows are not public.")
  @ApiResponse(responseCode = "200", description = "the buckets")
  @ApiResponse(responseCode = "400", description = "bad from, to or interval, or too long a range")
  @ApiResponse(responseCode = "404", description = "no such public point")
  public ReadingSeries history(
      @PathVariable String id,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @Parameter(
              description = "1h (default) or 1d",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"1h", "1d"}))
          @QueryValue
          @Nullable
          String interval) {
    return data.history(id, from, to, interval);
  }
}
