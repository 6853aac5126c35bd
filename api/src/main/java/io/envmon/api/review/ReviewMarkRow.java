package io.envmon.api.review;

import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A review mark as stored (table {@code review_mark}, migration V8). */
@MappedEntity("review_mark")
public record ReviewMarkRow(
    @Id @GeneratedValue @Nullable Long id,
    String pointId,
    Instant fromTime,
    Instant toTime,
    @Nullable String parameter,
    String verdict,
    String reason,
    @Nullable String note,
    Instant createdAt,
    String createdBy) {

  ReviewMark toDomain() {
    return new ReviewMark(
        id,
        pointId,
        fromTime,
        toTime,
        parameter == null ? null : Parameter.byCanonicalName(parameter).orElseThrow(),
        Verdict.valueOf(verdict),
        ReviewReason.valueOf(reason),
        note,
        createdAt,
        createdBy);
  }
}
