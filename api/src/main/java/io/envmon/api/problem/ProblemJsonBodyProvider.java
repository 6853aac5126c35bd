package io.envmon.api.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Renders every error response of the API — ours and Micronaut's own (unknown route, malformed
 * JSON, wrong types, constraint violations, 401/403) — as RFC 9457 {@code
 * application/problem+json}.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemJsonBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

  public static final String PROBLEM_JSON = "application/problem+json";

  @Override
  public Problem body(ErrorContext context, HttpResponse<?> response) {
    int status = response.code();
    String title = response.reason();
    List<Error> errors = context.getErrors();
    String detail;
    List<Problem.FieldError> fieldErrors;
    if (errors.size() == 1 && errors.get(0).getPath().isEmpty()) {
      detail = errors.get(0).getMessage();
      fieldErrors = List.of();
    } else {
      detail =
          context
              .getRootCause()
              .filter(InvalidRequestException.class::isInstance)
              .map(Throwable::getMessage)
              .orElse(
                  errors.isEmpty()
                      ? title
                      : errors.size() + " field(s) of the request are invalid");
      fieldErrors =
          errors.stream()
              .map(e -> new Problem.FieldError(e.getPath().orElse(null), e.getMessage()))
              .toList();
    }
    return new Problem(
        "about:blank", title, status, detail, context.getRequest().getPath(), fieldErrors);
  }

  @Override
  public String contentType() {
    return PROBLEM_JSON;
  }
}
