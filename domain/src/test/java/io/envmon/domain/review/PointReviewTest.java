package io.envmon.domain.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointReviewTest {

  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  static ReviewMark mark(long id, int from, int to, Parameter parameter, Verdict verdict) {
    return new ReviewMark(
        id,
        "p",
        at(from),
        at(to),
        parameter,
        verdict,
        ReviewReason.MAINTENANCE,
        null,
        T0,
        "wujiang-bureau");
  }

  @Test
  void aWholeReadingMarkInvalidatesEveryParameterOfItsRange() {
    PointReview review = new PointReview(List.of(mark(1, 10, 20, null, Verdict.INVALID)));
    assertThat(review.invalidates(Parameter.PM25, at(10))).isTrue();
    assertThat(review.invalidates(Parameter.O3, at(19))).isTrue();
    assertThat(review.invalidates(Parameter.PM25, at(20))).as("to is exclusive").isFalse();
    assertThat(review.invalidates(Parameter.PM25, at(9))).isFalse();
  }

  @Test
  void aLaterValidMarkRevalidatesPartOfAnEarlierInvalidOne() {
    PointReview review =
        new PointReview(
            List.of(
                mark(2, 12, 15, Parameter.PM25, Verdict.VALID),
                mark(1, 10, 20, null, Verdict.INVALID)));
    assertThat(review.invalidates(Parameter.PM25, at(13))).isFalse();
    assertThat(review.invalidates(Parameter.O3, at(13))).isTrue();
    assertThat(review.invalidWithin(Parameter.PM25, at(0), at(60)))
        .containsExactly(
            new PointReview.Range(at(10), at(12)), new PointReview.Range(at(15), at(20)));
    assertThat(review.validWithin(Parameter.PM25, at(0), at(60)))
        .containsExactly(
            new PointReview.Range(at(0), at(10)),
            new PointReview.Range(at(12), at(15)),
            new PointReview.Range(at(20), at(60)));
  }

  @Test
  void anInvalidMarkAfterAValidOneWins() {
    PointReview review =
        new PointReview(
            List.of(
                mark(1, 10, 20, Parameter.PM25, Verdict.VALID),
                mark(2, 0, 30, Parameter.PM25, Verdict.INVALID)));
    assertThat(review.invalidWithin(Parameter.PM25, at(5), at(25)))
        .containsExactly(new PointReview.Range(at(5), at(25)));
    assertThat(review.invalidatesAnyWithin(at(29), at(40))).isTrue();
    assertThat(review.invalidatesAnyWithin(at(30), at(40))).isFalse();
  }
}
