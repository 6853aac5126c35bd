package io.envmon.api.problem;

import java.util.List;

/** A request the API understood but must refuse (400), naming the fields that are wrong. */
public class InvalidRequestException extends RuntimeException {

  private final transient List<Problem.FieldError> errors;

  public InvalidRequestException(String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  public static InvalidRequestException field(String field, String message) {
    return new InvalidRequestException(
        field + ": " + message, List.of(new Problem.FieldError(field, message)));
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
