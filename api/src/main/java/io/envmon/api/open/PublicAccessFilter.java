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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The public API's rate limit: 429 problem+json with Retry-After once a caller used up its requests
 * of the minute, and X-RateLimit-Remaining on every answer. The caller is the request's API key
 * ({@link ApiKeyService#HEADER}) with the key's own limit, else its address with {@link
 * PublicLimits}; a key that is not in force is 401, never read as no key. Only on {@code
 * /api/v1/public/**} and the SensorThings API {@code /sta/v1.1/**}, which share the limit; a key
 * sent anywhere else is not looked at. CORS is each controller's {@code @CrossOrigin}.
 */
@ServerFilter({PublicDataController.PATH + "/**", StaController.PATH, StaController.PATH + "/**"})
public class PublicAccessFilter {

  public static final String REMAINING = "X-RateLimit-Remaining";

  private static final String CALLER = PublicAccessFilter.class.getName() + ".caller";

  /** Whose requests are counted, and how many a minute it may make. */
  private record Caller(String window, int requestsPerMinute, String described) {}

  private final PublicRateLimiter limiter;
  private final PublicLimits limits;
  private final ApiKeyService keys;
  private final JsonMapper json;

  public PublicAccessFilter(
      PublicRateLimiter limiter, PublicLimits limits, ApiKeyService keys, JsonMapper json) {
    this.limiter = limiter;
    this.limits = limits;
    this.keys = keys;
    this.json = json;
  }

  // blocking: a key is looked up in PostgreSQL
  @RequestFilter
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Nullable
  public HttpResponse<?> limit(HttpRequest<?> request) throws IOException {
    Caller address = address(request);
    Optional<String> presented = request.getHeaders().findFirst(ApiKeyService.HEADER);
    Caller caller = address;
    if (presented.isPresent()) {
      ApiKeyService.Check check = keys.check(presented.get());
      if (check instanceof ApiKeyService.Check.Refused refused) {
        // a refused key counts against its address: guessing keys is limited as reading is
        Optional<HttpResponse<?>> limited = acquire(request, address);
        if (limited.isPresent()) {
          return limited.get();
        }
        // RFC 9110 §11.6.1: a 401 names the scheme to use (an API key, not a bearer token)
        return problem(request, HttpStatus.UNAUTHORIZED, refused.reason())
            .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + ApiKeyService.HEADER + "\"");
      }
      ApiKeyRow key = ((ApiKeyService.Check.Valid) check).key();
      caller =
          new Caller("api-key:" + key.id(), key.requestsPerMinute(), "with API key " + key.id());
    }
    request.setAttribute(CALLER, caller);
    return acquire(request, caller).orElse(null);
  }

  @ResponseFilter
  public void remaining(HttpRequest<?> request, MutableHttpResponse<?> response) {
    Caller caller = request.getAttribute(CALLER, Caller.class).orElseGet(() -> address(request));
    response.header(
        REMAINING,
        Integer.toString(limiter.remaining(caller.window(), caller.requestsPerMinute())));
  }

  private Optional<HttpResponse<?>> acquire(HttpRequest<?> request, Caller caller)
      throws IOException {
    Optional<Duration> wait = limiter.acquire(caller.window(), caller.requestsPerMinute());
    if (wait.isEmpty()) {
      return Optional.empty();
    }
    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
    MutableHttpResponse<?> response =
        problem(
            request,
            HttpStatus.TOO_MANY_REQUESTS,
            "more than the public API's "
                + caller.requestsPerMinute()
                + " requests per minute "
                + caller.described()
                + "; try again in "
                + seconds
                + " s");
    return Optional.of(response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
  }

  private MutableHttpResponse<?> problem(HttpRequest<?> request, HttpStatus status, String detail)
      throws IOException {
    Problem problem =
        new Problem(
            "about:blank",
            status.getReason(),
            status.getCode(),
            detail,
            request.getPath(),
            List.of());
    return HttpResponse.status(status)
        .contentType(ProblemJsonBodyProvider.PROBLEM_JSON)
        .body(json.writeValueAsBytes(problem));
  }

  private Caller address(HttpRequest<?> request) {
    return new Caller(
        request.getRemoteAddress().getAddress().getHostAddress(),
        limits.requestsPerMinute(),
        "from this address");
  }
}
