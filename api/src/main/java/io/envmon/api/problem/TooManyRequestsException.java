package io.envmon.api.problem;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/** 429: the caller must wait before trying again. */
public class TooManyRequestsException extends HttpStatusException {
  public TooManyRequestsException(String detail) {
    super(HttpStatus.TOO_MANY_REQUESTS, detail);
  }
}
