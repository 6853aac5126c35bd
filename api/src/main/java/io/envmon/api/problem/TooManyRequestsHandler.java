package io.envmon.api.problem;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** 429 problem+json for {@link TooManyRequestsException}, with its Retry-After (seconds). */
@Singleton
public class TooManyRequestsHandler
    implements ExceptionHandler<TooManyRequestsException, HttpResponse<?>> {

  private final ErrorResponseProcessor<?> errorResponseProcessor;

  public TooManyRequestsHandler(ErrorResponseProcessor<?> errorResponseProcessor) {
    this.errorResponseProcessor = errorResponseProcessor;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, TooManyRequestsException exception) {
    MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS);
    exception
        .retryAfter()
        .ifPresent(
            wait ->
                response.header(
                    HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
    return errorResponseProcessor.processResponse(
        ErrorContext.builder(request).cause(exception).errorMessage(exception.getMessage()).build(),
        response);
  }
}
