package io.envmon.api.open;

import io.envmon.api.problem.Problem;
import io.envmon.api.problem.ProblemJsonBodyProvider;
import io.envmon.api.sta.StaController;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The public API's rate limit: 429 problem+json with Retry-After once an address used up its
 * requests of the minute, and X-RateLimit-Remaining on every answer. Only on {@code
 * /api/v1/public/**} and the SensorThings API {@code /sta/v1.1/**}, which share the limit; CORS is
 * each controller's {@code @CrossOrigin}.
 */
@ServerFilter({PublicDataController.PATH + "/**", StaController.PATH, StaController.PATH + "/**"})
public class PublicAccessFilter {

  public static final String REMAINING = "X-RateLimit-Remaining";

  private final PublicRateLimiter limiter;
  private final JsonMapper json;

  public PublicAccessFilter(PublicRateLimiter limiter, JsonMapper json) {
    this.limiter = limiter;
    this.json = json;
  }

  @RequestFilter
  @Nullable
  public HttpResponse<?> limit(HttpRequest<?> request) throws IOException {
    Optional<Duration> wait = limiter.acquire(caller(request));
    if (wait.isEmpty()) {
      return null;
    }
    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
    Problem problem =
        new Problem(
            "about:blank",
            HttpStatus.TOO_MANY_REQUESTS.getReason(),
            429,
            "more than the public API's requests per minute from this address; try again in "
                + seconds
                + " s",
            request.getPath(),
            List.of());
    return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(ProblemJsonBodyProvider.PROBLEM_JSON)
        .body(json.writeValueAsBytes(problem));
  }

  @ResponseFilter
  public void remaining(HttpRequest<?> request, MutableHttpResponse<?> response) {
    response.header(REMAINING, Integer.toString(limiter.remaining(caller(request))));
  }

  private static String caller(HttpRequest<?> request) {
    return request.getRemoteAddress().getAddress().getHostAddress();
  }
}
