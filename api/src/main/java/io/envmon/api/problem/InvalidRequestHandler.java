package io.envmon.api.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Optional;

/** 400 problem+json for {@link InvalidRequestException}, with its field errors. */
@Singleton
public class InvalidRequestHandler
    implements ExceptionHandler<InvalidRequestException, HttpResponse<?>> {

  private final ErrorResponseProcessor<?> errorResponseProcessor;

  public InvalidRequestHandler(ErrorResponseProcessor<?> errorResponseProcessor) {
    this.errorResponseProcessor = errorResponseProcessor;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, InvalidRequestException exception) {
    ErrorContext.Builder context = ErrorContext.builder(request).cause(exception);
    if (exception.errors().isEmpty()) {
      context.errorMessage(exception.getMessage());
    } else {
      context.errors(
          exception.errors().stream()
              .<Error>map(
                  fieldError ->
                      new Error() {
                        @Override
                        public String getMessage() {
                          return fieldError.message();
                        }

                        @Override
                        public Optional<String> getPath() {
                          return Optional.ofNullable(fieldError.field());
                        }
                      })
              .toList());
    }
    return errorResponseProcessor.processResponse(context.build(), HttpResponse.badRequest());
  }
}
