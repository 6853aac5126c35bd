package io.envmon.jobs.ratio;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.PointReview;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationsTest {

  private static final long HOUR = Instant.parse("2026-12-03T00:00:00Z").toEpochMilli();
  private static final long PM25 = 1L << Parameter.PM25.ordinal();
  private static final long PM10 = 1L << Parameter.PM10.ordinal();

  @Test
  void readingsAreKeptInObservationOrderWhateverOrderTheyArriveIn() {
    long[] bucket = Observations.NONE;
    bucket =
        Observations.add(
            bucket, HOUR + 3_000, Observations.flags(HOUR + 3_000, HOUR + 3_000, PM25));
    bucket =
        Observations.add(
            bucket, HOUR + 1_000, Observations.flags(HOUR + 1_000, HOUR + 1_000, PM25));
    bucket =
        Observations.add(
            bucket, HOUR + 2_000, Observations.flags(HOUR + 2_000, HOUR + 2_000, PM25));
    assertThat(bucket).containsExactly(HOUR + 1_000, PM25, HOUR + 2_000, PM25, HOUR + 3_000, PM25);
  }

  @Test
  void aReadingDeliveredAgainIsKeptOnceWithEveryValidParameter() {
    long[] bucket = Observations.add(Observations.NONE, HOUR, Observations.flags(HOUR, HOUR, PM25));
    bucket = Observations.add(bucket, HOUR, Observations.flags(HOUR, HOUR, PM10));
    assertThat(bucket).hasSize(2);
    assertThat(Observations.validParameters(bucket, 0)).isEqualTo(PM25 | PM10);
    assertThat(Observations.kind(PM25 | PM10)).isEqualTo(PointKind.AIR);
  }

  @Test
  void aStationAheadOfItsGatewayIsCountedFromItsArrivalAndJudgedAtItsObservation() {
    long observedAt = HOUR + 90_000;
    long arrival = HOUR + 30_000;
    long[] bucket =
        Observations.add(
            Observations.NONE, observedAt, Observations.flags(observedAt, arrival, PM25));
    assertThat(bucket[0]).isEqualTo(observedAt);
    assertThat(Observations.credible(bucket, 0)).isEqualTo(arrival);
    assertThat(Observations.chunk("p-1", Observations.hourStart(observedAt), 0))
        .isEqualTo("p-1@" + HOUR);
    assertThat(Observations.pointOf("p-1@" + HOUR)).isEqualTo("p-1");
    assertThat(Observations.hourOf("p-1@" + HOUR)).isEqualTo(HOUR);
  }

  @Test
  void theFirstChunkOfAnHourHasTheHoursKeyAndTheOthersANumber() {
    assertThat(Observations.chunk("p-1", HOUR, 0)).isEqualTo("p-1@" + HOUR);
    assertThat(Observations.chunk("p-1", HOUR, 2)).isEqualTo("p-1@" + HOUR + "#2");
    assertThat(Observations.pointOf("p-1@" + HOUR + "#2")).isEqualTo("p-1");
    assertThat(Observations.hourOf("p-1@" + HOUR + "#2")).isEqualTo(HOUR);
  }

  @Test
  void aChunkIsFullAtItsReadingsAndFindsAReadingByItsObservationTime() {
    long[] chunk = Observations.NONE;
    for (int i = 0; i < Observations.CHUNK_READINGS; i++) {
      assertThat(Observations.isFull(chunk)).isFalse();
      long at = HOUR + 2_000L * i;
      chunk = Observations.add(chunk, at, Observations.flags(at, at, PM25));
    }
    assertThat(Observations.isFull(chunk)).isTrue();
    for (int i = 0; i < Observations.CHUNK_READINGS; i++) {
      assertThat(Observations.holds(chunk, HOUR + 2_000L * i)).isTrue();
      assertThat(Observations.holds(chunk, HOUR + 2_000L * i + 1_000)).isFalse();
    }
    assertThat(Observations.holds(chunk, HOUR - 1)).isFalse();
    assertThat(Observations.holds(Observations.NONE, HOUR)).isFalse();
  }

  @Test
  void aReadingCountsWhileOneOfItsValidValuesIsNotInvalidated() {
    Instant at = Instant.ofEpochMilli(HOUR);
    PointReview pm25Invalid =
        PointReview.NONE.with(
            new ReviewMark(
                1,
                "p-1",
                at,
                at.plusSeconds(60),
                Parameter.PM25,
                Verdict.INVALID,
                ReviewReason.CALIBRATION,
                null,
                at,
                null));
    assertThat(Observations.counts(pm25Invalid, HOUR, PM25 | PM10)).isTrue();
    assertThat(Observations.counts(pm25Invalid, HOUR, PM25)).isFalse();
    assertThat(Observations.counts(pm25Invalid, HOUR + 60_000, PM25)).isTrue();
    assertThat(Observations.counts(new PointReview(List.of()), HOUR, PM25)).isTrue();
  }
}
