package io.envmon.api.export;

import io.envmon.api.security.Viewer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.json.JsonMapper;
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
import java.io.IOException;

/** Downloads of readings (CSV, NDJSON) and of points with their latest values (GeoJSON). */
@Controller("/api/v1/export")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExportController {

  static final String NDJSON = "application/x-ndjson";
  static final String GEO_JSON = "application/geo+json";

  private final ReadingsExport export;
  private final JsonMapper json;

  public ExportController(ReadingsExport export, JsonMapper json) {
    this.export = export;
    this.json = json;
  }

  @Get("/readings")
  @Produces({"text/csv", NDJSON})
  @Operation(
      summary = "The readings of a kind of point over [from, to), streamed as CSV or NDJSON",
      description =
          "The visible points of the kind in a city (or all cities), or the points listed; raw"
              + " rows (interval=raw) or hourly or daily buckets (1h, 1d: mean, min, max and count"
              + " of the valid values, days from the city's midnight). view=reviewed (default)"
              + " leaves out what a review mark invalidated; view=raw (only the points of the"
              + " user's city, or the coordinator's) gives every stored value with its mark. CSV:"
              + " a header row with units, times in the city's offset and in UTC; NDJSON: one"
              + " object per reading or bucket. The body is streamed page by page: at most"
              + " envmon.export.max-raw-range (366 d) of raw rows or of hourly buckets, and"
              + " envmon.export.max-daily-range (3660 d) of daily buckets, per request.")
  @ApiResponse(
      responseCode = "200",
      description = "the rows, as a download (Content-Disposition: attachment)",
      content = {
        @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
        @Content(mediaType = NDJSON, schema = @Schema(type = "string"))
      })
  @ApiResponse(
      responseCode = "400",
      description =
          "kind missing or unknown; bad from, to, interval, view or format; too long a range; a"
              + " listed point of another kind or city; interval=raw from before the raw readings'"
              + " retention (envmon.retention.raw: ask for 1h or 1d)")
  @ApiResponse(
      responseCode = "403",
      description = "view=raw with a point of another city (its raw values are its city's)")
  @ApiResponse(responseCode = "404", description = "no such city, or a listed point not visible")
  public HttpResponse<StreamedFile> readings(
      Authentication authentication,
      @Parameter(
              description = "AIR, WATER or NOISE",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"AIR", "WATER", "NOISE"}))
          @QueryValue
          String kind,
      @Parameter(description = "one city's visible points") @QueryValue @Nullable String city,
      @Parameter(description = "point ids, comma-separated (at most 500)") @QueryValue @Nullable
          String points,
      @Parameter(description = "ISO-8601 with offset; default: 24 h before to")
          @QueryValue
          @Nullable
          String from,
      @Parameter(description = "ISO-8601 with offset, exclusive; default: now")
          @QueryValue
          @Nullable
          String to,
      @Parameter(
              description = "raw (default), 1h or 1d",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"raw", "1h", "1d"}))
          @QueryValue
          @Nullable
          String interval,
      @Parameter(
              description = "reviewed (default) or raw",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"reviewed", "raw"}))
          @QueryValue
          @Nullable
          String view,
      @Parameter(
              description = "csv (default) or ndjson",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"csv", "ndjson"}))
          @QueryValue
          @Nullable
          String format) {
    ReadingsExport.Export readings =
        export.readings(
            Viewer.of(authentication), city, kind, points, from, to, interval, view, format);
    return HttpResponse.ok(
            new StreamedFile(readings.body(), MediaType.of(readings.format().contentType))
                .attach(readings.fileName()))
        .contentType(readings.format().contentType);
  }

  @Get("/points")
  @Produces(GEO_JSON)
  @Operation(
      summary = "The visible points with their latest values, as GeoJSON",
      description =
          "A FeatureCollection (RFC 7946) of the visible points that are not decommissioned, in"
              + " a city and of a kind when given: each a Point at [lon, lat] with the point's"
              + " id, city, kind, name, status and sharing and its latest reading as"
              + " GET /readings/latest answers it (properties.latest, absent before the first).")
  @ApiResponse(
      responseCode = "200",
      description = "the points",
      content =
          @Content(
              mediaType = GEO_JSON,
              schema = @Schema(implementation = PointsGeoJson.FeatureCollection.class)))
  @ApiResponse(responseCode = "400", description = "unknown kind")
  @ApiResponse(responseCode = "404", description = "no such city")
  public HttpResponse<byte[]> points(
      Authentication authentication,
      @Parameter(description = "one city's visible points") @QueryValue @Nullable String city,
      @Parameter(
              description = "AIR, WATER or NOISE",
              schema =
                  @Schema(
                      type = "string",
                      allowableValues = {"AIR", "WATER", "NOISE"}))
          @QueryValue
          @Nullable
          String kind)
      throws IOException {
    // written here: Micronaut's JSON writer does not take application/geo+json
    return HttpResponse.ok(
            json.writeValueAsBytes(export.points(Viewer.of(authentication), city, kind)))
        .contentType(GEO_JSON)
        .header("Content-Disposition", "attachment; filename=\"points.geojson\"");
  }
}
