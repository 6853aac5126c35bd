package io.envmon.api.problem;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.time.Duration;
import java.util.Optional;

/** 429: the caller must wait before trying again (Retry-After when it is known how long). */
public class TooManyRequestsException extends HttpStatusException {
  private final Duration retryAfter;

  public TooManyRequestsException(String detail) {
    this(detail, null);
  }

  public TooManyRequestsException(String detail, Duration retryAfter) {
    super(HttpStatus.TOO_MANY_REQUESTS, detail);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
