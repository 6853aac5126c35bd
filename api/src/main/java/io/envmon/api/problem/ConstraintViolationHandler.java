package io.envmon.api.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Bean-validation failures as 400 problem+json whose {@code errors} name each field as the caller
 * wrote it ({@code lat}, {@code sharedWith[0]}), not as a method path.
 */
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler
    implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {

  private final InvalidRequestHandler invalidRequests;

  public ConstraintViolationHandler(InvalidRequestHandler invalidRequests) {
    this.invalidRequests = invalidRequests;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
    List<Problem.FieldError> errors =
        exception.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(e -> String.valueOf(e.field())))
            .toList();
    return invalidRequests.handle(
        request,
        new InvalidRequestException(
            errors.size() + " field(s) of the request are invalid", errors));
  }

  private static String field(ConstraintViolation<?> violation) {
    List<String> names = new ArrayList<>();
    String parameter = null;
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
        continue;
      }
      if (node.getKind() == ElementKind.PARAMETER) {
        parameter = node.getName();
        continue;
      }
      String name = node.getName();
      if (node.getIndex() != null) {
        name = name + "[" + node.getIndex() + "]";
      }
      names.add(name);
    }
    return names.isEmpty() ? parameter : String.join(".", names);
  }
}
