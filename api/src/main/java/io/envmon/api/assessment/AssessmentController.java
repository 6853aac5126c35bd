package io.envmon.api.assessment;

import io.envmon.api.problem.InvalidRequestException;
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

/** The L3P1-A1 assessment of a city or the cluster as of T, with its evidence, as JSON or CSV. */
@Controller("/api/v1/assessments")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AssessmentController {

  static final String TEXT_CSV = "text/csv";

  private final AssessmentService assessments;

  public AssessmentController(AssessmentService assessments) {
    this.assessments = assessments;
  }

  @Get("/l3p1-a1")
  @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
  @Operation(
      summary =
          "The L3P1-A1 sharing assessment of a city or the cluster as of T, with its evidence",
      description =
          "score = 100 × (0.4·b1 + 0.4·b2 + 0.2·b3) with b1 air, b2 important water sections, b3"
              + " noise, each shared points over planned points (PLANNED or ACTIVE), computed by"
              + " the rules of /sharing-ratios from the registry as it was at T and the reviewed"
              + " readings; and every point of the city with inDenominator, counted, conditional,"
              + " the reason (COUNTED, NOT_REGISTERED, NOT_IMPORTANT_SECTION, NOT_ACTIVE, PRIVATE,"
              + " SHARED_WITH_SOME, INVALIDATED_BY_REVIEW, NO_VALID_DATA_IN_WINDOW; English and"
              + " Chinese) and its last valid reading. scoreboard is the /sharing-ratios row at T,"
              + " agreesWithScoreboard whether it counts the same points. A city's users and the"
              + " coordinator see a city's; the coordinator the cluster's. JSON, or CSV with"
              + " format=csv or Accept: text/csv.")
  @ApiResponse(
      responseCode = "200",
      description = "the assessment",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Assessment.class)),
        @Content(mediaType = TEXT_CSV, schema = @Schema(type = "string"))
      })
  @ApiResponse(responseCode = "400", description = "no city, at is not a time, format unknown")
  @ApiResponse(
      responseCode = "403",
      description = "another city's assessment, or the cluster's for a city's user")
  @ApiResponse(responseCode = "404", description = "no such city or cluster")
  public HttpResponse<?> l3p1a1(
      Authentication authentication,
      @Parameter(description = "a city id, or the cluster id", example = "qingpu") @QueryValue
          String city,
      @Parameter(
              description = "T, ISO-8601 with offset; now when absent",
              example = "2026-12-01T08:00:00Z")
          @QueryValue
          @Nullable
          String at,
      @Parameter(description = "json (default) or csv") @QueryValue @Nullable String format,
      @Header(HttpHeaders.ACCEPT) @Nullable String accept) {
    if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
      throw InvalidRequestException.field("format", "must be json or csv");
    }
    Assessment assessment = assessments.assess(Viewer.of(authentication), at, city);
    boolean csv =
        "csv".equalsIgnoreCase(format)
            || (format == null && accept != null && accept.contains(TEXT_CSV));
    if (!csv) {
      return HttpResponse.ok(assessment).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    String name =
        "l3p1-a1-" + assessment.id() + "-" + assessment.at().toString().replace(":", "") + ".csv";
    return HttpResponse.ok(AssessmentCsv.of(assessment))
        .contentType(TEXT_CSV + "; charset=utf-8")
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
  }
}
