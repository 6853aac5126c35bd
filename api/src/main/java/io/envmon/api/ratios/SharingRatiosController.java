package io.envmon.api.ratios;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** {@code /api/v1/sharing-ratios}: the scoreboard now or as of {@code at}, and its history. */
@Controller("/api/v1/sharing-ratios")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SharingRatiosController {

  private final SharingRatioService ratios;

  public SharingRatiosController(SharingRatioService ratios) {
    this.ratios = ratios;
  }

  @Get
  @ApiResponse(responseCode = "400", description = "at is not a time")
  public SharingRatios at(@QueryValue @Nullable String at) {
    return ratios.at(at);
  }

  @Get("/history")
  @Operation(
      summary = "A city's or the cluster's ratios minute by minute in [from, to), oldest first",
      description =
          "As the stream jobs computed them, corrected by late readings and by the bureaus'"
              + " review marks (a point counts only with a reading its bureau did not invalidate)."
              + " At most 168 h.")
  @ApiResponse(responseCode = "400", description = "no city, or a bad or too long range")
  @ApiResponse(responseCode = "404", description = "no such city or cluster")
  public List<SharingRatioView> history(
      @Parameter(description = "a city or cluster id") @QueryValue String city,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to) {
    return ratios.history(city, from, to);
  }
}
