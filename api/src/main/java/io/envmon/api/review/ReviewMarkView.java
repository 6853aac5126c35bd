package io.envmon.api.review;

import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A review mark in the API's answers. */
@Serdeable
public record ReviewMarkView(
    long id,
    String pointId,
    @Schema(description = "start of the marked range (inclusive)") Instant from,
    @Schema(description = "end of the marked range (exclusive)") Instant to,
    @Schema(description = "the one parameter marked; absent: every value of the readings") @Nullable
        String parameter,
    Verdict verdict,
    ReviewReason reason,
    @Nullable String note,
    Instant createdAt,
    String createdBy) {

  public static ReviewMarkView of(ReviewMark mark) {
    return new ReviewMarkView(
        mark.id(),
        mark.pointId(),
        mark.from(),
        mark.to(),
        mark.parameter() == null ? null : mark.parameter().canonicalName(),
        mark.verdict(),
        mark.reason(),
        mark.note(),
        mark.createdAt(),
        mark.createdBy());
  }
}
