package io.envmon.domain.review;

import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.Objects;

/**
 * One review of a point's values over the half-open range [from, to): of one parameter, or of every
 * value of the readings in it ({@code parameter} null). Marks are never changed or removed; a later
 * mark (higher id) wins where it overlaps an earlier one.
 */
public record ReviewMark(
    long id,
    String pointId,
    Instant from,
    Instant to,
    Parameter parameter,
    Verdict verdict,
    ReviewReason reason,
    String note,
    Instant createdAt,
    String createdBy) {

  public ReviewMark {
    Objects.requireNonNull(pointId, "pointId");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from " + from + " must be before to " + to);
    }
  }

  /** Whether this mark covers the value of {@code of} observed at {@code time}. */
  public boolean covers(Parameter of, Instant time) {
    return (parameter == null || parameter == of) && !time.isBefore(from) && time.isBefore(to);
  }

  public boolean appliesTo(Parameter of) {
    return parameter == null || parameter == of;
  }
}
