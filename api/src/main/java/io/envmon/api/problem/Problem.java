package io.envmon.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** An RFC 9457 problem detail, with the fields a request got wrong in {@code errors}. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    @Nullable String detail,
    @Nullable String instance,
    List<FieldError> errors) {

  /** One field of a request that was rejected, and why. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record FieldError(@Nullable String field, String message) {}
}
