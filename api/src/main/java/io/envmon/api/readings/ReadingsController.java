package io.envmon.api.readings;

import io.envmon.api.security.Viewer;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
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
  public ReadingSeries series(
      Authentication authentication,
      @PathVariable String id,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @QueryValue @Nullable String interval) {
    return readings.series(Viewer.of(authentication), id, from, to, interval);
  }

  @Get("/readings/latest")
  public List<LatestReading> latest(
      Authentication authentication,
      @QueryValue @Nullable String city,
      @QueryValue @Nullable PointKind kind) {
    return readings.latest(
        Viewer.of(authentication), Optional.ofNullable(city), Optional.ofNullable(kind));
  }
}
