package io.envmon.api.webhooks;

import io.envmon.api.security.Viewer;
import io.envmon.api.web.PageQuery;
import io.envmon.api.web.Paging;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks per city ({@code /api/v1/cities/{cityId}/webhooks}) and their dead letters ({@code
 * /api/v1/webhooks/dead-letters}): the coordinator or a bureau user of the city.
 */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "webhooks")
public class WebhooksController {

  private final WebhookService webhooks;

  public WebhooksController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @Get("/cities/{cityId}/webhooks")
  @Operation(summary = "The webhooks of a city (without their secrets)")
  @ApiResponse(responseCode = "403", description = "not the coordinator or a bureau of the city")
  @ApiResponse(responseCode = "404", description = "no such city")
  public List<WebhookView> list(Authentication authentication, @PathVariable String cityId) {
    return webhooks.list(Viewer.of(authentication), cityId).stream()
        .map(w -> WebhookView.of(w, false))
        .toList();
  }

  @Post("/cities/{cityId}/webhooks")
  @Operation(
      summary = "Register a webhook of a city",
      description =
          "Every later event (raised, escalated, cleared, acknowledged) of an alert the city"
              + " receives is POSTed to the URL as the alert JSON, signed with HMAC-SHA256"
              + " (X-Envmon-Timestamp, X-Envmon-Signature: sha256=<hex> over"
              + " '<timestamp>.<body>'). The secret, given or generated, is answered only here.")
  @ApiResponse(responseCode = "201", description = "created; the answer holds the secret")
  @ApiResponse(
      responseCode = "400",
      description =
          "not an absolute http(s) URL, a host that resolves to an internal address (loopback,"
              + " link-local, private, reserved) not in envmon.webhooks.allowed-targets, or a bad"
              + " secret")
  @ApiResponse(responseCode = "403", description = "not the coordinator or a bureau of the city")
  @ApiResponse(responseCode = "404", description = "no such city")
  public HttpResponse<WebhookView> create(
      Authentication authentication,
      @PathVariable String cityId,
      @Valid @Body WebhookRequest request) {
    WebhookView created =
        WebhookView.of(webhooks.create(Viewer.of(authentication), cityId, request), true);
    return HttpResponse.created(
        created, URI.create("/api/v1/cities/" + cityId + "/webhooks/" + created.id()));
  }

  @Delete("/cities/{cityId}/webhooks/{id}")
  @Status(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete a webhook, with its pending deliveries and dead letters")
  @ApiResponse(responseCode = "204", description = "deleted")
  @ApiResponse(responseCode = "400", description = "id is not a number")
  @ApiResponse(responseCode = "403", description = "not the coordinator or a bureau of the city")
  @ApiResponse(responseCode = "404", description = "no such city or webhook")
  public void delete(
      Authentication authentication, @PathVariable String cityId, @PathVariable long id) {
    webhooks.delete(Viewer.of(authentication), cityId, id);
  }

  @Get("/webhooks/dead-letters")
  @Operation(
      summary = "Deliveries that failed every attempt, newest first, a page at a time",
      description =
          "A bureau user sees its own city's; the coordinator all, or one city's with city=. One"
              + " page of size dead letters; when there are more, a Link header names the next"
              + " page (rel=\"next\").")
  @ApiResponse(responseCode = "400", description = "webhook is not a number, bad page or size")
  @ApiResponse(responseCode = "403", description = "not the coordinator or a bureau user")
  public HttpResponse<List<DeliveryView>> deadLetters(
      Authentication authentication,
      @QueryValue @Nullable String city,
      @QueryValue @Nullable Long webhook,
      @RequestBean PageQuery pageQuery) {
    Paging paging = pageQuery.paging();
    List<DeliveryView> deadLetters =
        webhooks
            .deadLetters(
                Viewer.of(authentication),
                Optional.ofNullable(city),
                Optional.ofNullable(webhook),
                paging)
            .stream()
            .map(DeliveryView::of)
            .toList();
    UriBuilder self = UriBuilder.of("/api/v1/webhooks/dead-letters");
    if (city != null) {
      self.queryParam("city", city);
    }
    if (webhook != null) {
      self.queryParam("webhook", webhook);
    }
    return paging.answer(deadLetters, self);
  }

  @Post("/webhooks/dead-letters/{id}/retry")
  @Operation(summary = "Send a dead letter again (its attempts start over)")
  @ApiResponse(responseCode = "400", description = "id is not a number")
  @ApiResponse(responseCode = "404", description = "no such dead letter, or of another city")
  public DeliveryView retry(Authentication authentication, @PathVariable long id) {
    return DeliveryView.of(webhooks.redeliver(Viewer.of(authentication), id));
  }
}
