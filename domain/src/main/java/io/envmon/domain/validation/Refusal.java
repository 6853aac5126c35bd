package io.envmon.domain.validation;

import io.envmon.domain.DecodeException;
import java.util.Objects;

/**
 * One refusal: why, what exactly ({@code detail}, in words for the device's operator), and where
 * ({@code location}: a parameter name, a SenML record, an HJ 212 field, or empty for a whole
 * reading).
 */
public record Refusal(RefusalReason reason, String location, String detail) {
  public Refusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(detail, "detail");
  }

  /** Input that could not be decoded: MALFORMED where the decoder stopped, with its reason. */
  public static Refusal malformed(DecodeException e) {
    return new Refusal(RefusalReason.MALFORMED, e.location(), e.reason());
  }

  @Override
  public String toString() {
    return reason.code() + (location.isEmpty() ? "" : " at " + location) + ": " + detail;
  }
}
