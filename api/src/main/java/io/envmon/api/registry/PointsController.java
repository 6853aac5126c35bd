package io.envmon.api.registry;

import io.envmon.api.security.Viewer;
import io.envmon.domain.point.PointKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/points}: the registry's monitoring points a user may see, and their changes. */
@Controller("/api/v1/points")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PointsController {

  private final PointService points;

  public PointsController(PointService points) {
    this.points = points;
  }

  @Get
  @ApiResponse(responseCode = "400", description = "unknown kind")
  public List<PointView> list(
      Authentication authentication,
      @QueryValue @Nullable String city,
      @QueryValue @Nullable PointKind kind) {
    Viewer viewer = Viewer.of(authentication);
    return points
        .visiblePoints(viewer, Optional.ofNullable(city), Optional.ofNullable(kind))
        .stream()
        .map(point -> PointView.of(point).accessOf(viewer))
        .toList();
  }

  @Get("/{id}")
  public PointView get(Authentication authentication, @PathVariable String id) {
    Viewer viewer = Viewer.of(authentication);
    return PointView.of(points.visiblePoint(viewer, id)).accessOf(viewer);
  }

  @Post
  @ApiResponse(
      responseCode = "201",
      description = "the point as stored",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = PointView.class)))
  @ApiResponse(responseCode = "400", description = "a field missing, out of range or unknown")
  @ApiResponse(responseCode = "409", description = "point id taken")
  public HttpResponse<PointView> create(
      Authentication authentication, @Valid @Body PointRequest request) {
    PointView created = PointView.of(points.create(Viewer.of(authentication), request));
    return HttpResponse.created(created, URI.create("/api/v1/points/" + created.id()));
  }

  @Put("/{id}")
  @ApiResponse(responseCode = "400", description = "a field missing, out of range or unknown")
  public PointView update(
      Authentication authentication, @PathVariable String id, @Valid @Body PointRequest request) {
    return PointView.of(points.update(Viewer.of(authentication), id, request));
  }

  @Delete("/{id}")
  public PointView decommission(Authentication authentication, @PathVariable String id) {
    return PointView.of(points.decommission(Viewer.of(authentication), id));
  }
}
