package io.envmon.api.open;

import io.envmon.api.security.Viewer;
import io.envmon.api.web.PageQuery;
import io.envmon.api.web.Paging;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;

/**
 * The public API's keys ({@code /api/v1/api-keys}): the coordinator issues, lists and revokes them.
 */
@Controller("/api/v1/api-keys")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(
    name = "API keys",
    description =
        "Keys of the public API and the SensorThings API, issued by the coordinator to a holder"
            + " (a research group, an app) with requests per minute of its own. A request sends"
            + " its key as X-API-Key; it reads what the public reads, nothing more.")
@ApiResponse(responseCode = "403", description = "not the coordinator")
public class ApiKeysController {

  private final ApiKeyService keys;

  public ApiKeysController(ApiKeyService keys) {
    this.keys = keys;
  }

  @Get
  @Operation(
      summary = "Every API key issued, revoked ones too, by id (without their secrets)",
      description =
          "One page of size keys; when there are more, a Link header names the next page"
              + " (rel=\"next\").")
  @ApiResponse(responseCode = "200", description = "the keys")
  @ApiResponse(responseCode = "400", description = "bad page or size")
  public HttpResponse<List<ApiKeyView>> list(
      Authentication authentication, @RequestBean PageQuery pageQuery) {
    Paging paging = pageQuery.paging();
    return paging.answer(
        keys.list(Viewer.of(authentication), paging), UriBuilder.of("/api/v1/api-keys"));
  }

  @Post
  @Operation(
      summary = "Issue an API key",
      description =
          "The answer's key (envmon-<id>.<secret>, a 256-bit random secret) is shown only here:"
              + " only its SHA-256 is stored. Audited (api-key.issue).")
  @ApiResponse(
      responseCode = "201",
      description = "issued; the answer holds the key",
      content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
  @ApiResponse(responseCode = "400", description = "no name, or requestsPerMinute not 1-100000")
  public HttpResponse<ApiKeyView> issue(
      Authentication authentication, @Valid @Body ApiKeyRequest request) {
    ApiKeyView issued = keys.issue(Viewer.of(authentication), request);
    return HttpResponse.created(issued, URI.create("/api/v1/api-keys/" + issued.id()));
  }

  @Delete("/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Revoke an API key",
      description =
          "From the next request on the key gets 401. The key stays listed with revokedAt."
              + " Audited (api-key.revoke).")
  @ApiResponse(responseCode = "204", description = "revoked (or already revoked)")
  @ApiResponse(responseCode = "400", description = "id is not a number")
  @ApiResponse(responseCode = "404", description = "no such API key")
  public void revoke(Authentication authentication, @PathVariable long id) {
    keys.revoke(Viewer.of(authentication), id);
  }
}
