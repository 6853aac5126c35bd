package io.envmon.api.review;

import io.envmon.api.security.Viewer;
import io.envmon.api.web.PageQuery;
import io.envmon.api.web.Paging;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
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

/** Review of data (数据审核): a point's review marks (docs/api.md "Review of data"). */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "review")
public class ReviewsController {

  private final ReviewService reviews;

  public ReviewsController(ReviewService reviews) {
    this.reviews = reviews;
  }

  @Get("/points/{id}/reviews")
  @Operation(
      summary = "A point's review marks, in the order they were made (a later mark wins)",
      description =
          "The users of the point's city and the coordinator; from and to keep the marks that"
              + " overlap [from, to). One page of size marks; when there are more, a Link header"
              + " names the next page (rel=\"next\").")
  @ApiResponse(
      responseCode = "400",
      description = "from or to is not an ISO-8601 date-time, bad page or size")
  @ApiResponse(responseCode = "403", description = "a point of another city (its marks are its)")
  @ApiResponse(responseCode = "404", description = "no such point, or not visible")
  public HttpResponse<List<ReviewMarkView>> list(
      Authentication authentication,
      @PathVariable String id,
      @QueryValue @Nullable String from,
      @QueryValue @Nullable String to,
      @RequestBean PageQuery pageQuery) {
    Paging paging = pageQuery.paging();
    List<ReviewMarkView> marks =
        reviews.list(Viewer.of(authentication), id, from, to, paging).stream()
            .map(ReviewMarkView::of)
            .toList();
    UriBuilder self = UriBuilder.of("/api/v1/points").path(id).path("reviews");
    if (from != null) {
      self.queryParam("from", from);
    }
    if (to != null) {
      self.queryParam("to", to);
    }
    return paging.answer(marks, self);
  }

  @Post("/points/{id}/reviews")
  @Operation(
      summary = "Mark a point's values invalid, or valid again",
      description =
          "Over [from, to), or the one reading observed at 'at'; of one parameter or every value."
              + " The raw values stay stored; the reviewed series, hourly and daily AQI, the daily"
              + " report, water classes, noise compliance and 'latest' leave invalidated values"
              + " out; the stream jobs get the mark through envmon.review-marks.v1 and publish"
              + " again, within about a minute, the sharing-ratio minutes whose counted points it"
              + " changed (within their 7-day lateness horizon). Audited (review.mark, with the"
              + " invalidated ranges before and after).")
  @ApiResponse(responseCode = "201", description = "made; the answer is the mark")
  @ApiResponse(
      responseCode = "400",
      description =
          "bad or missing from/to/at, a parameter not of the point's kind, an unknown verdict or"
              + " reason, OTHER without a note")
  @ApiResponse(
      responseCode = "403",
      description = "not the coordinator or a bureau user of the point's city")
  @ApiResponse(responseCode = "404", description = "no such point, or not visible")
  public HttpResponse<ReviewMarkView> mark(
      Authentication authentication, @PathVariable String id, @Valid @Body ReviewRequest request) {
    ReviewMarkView mark = ReviewMarkView.of(reviews.mark(Viewer.of(authentication), id, request));
    return HttpResponse.created(mark, URI.create("/api/v1/points/" + id + "/reviews"));
  }
}
