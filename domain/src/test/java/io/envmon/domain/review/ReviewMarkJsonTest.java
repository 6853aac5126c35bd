package io.envmon.domain.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Parameter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Review marks on Kafka envmon.review-marks.v1")
class ReviewMarkJsonTest {

  private static final Instant FROM = Instant.parse("2026-12-03T00:00:00Z");

  private static ReviewMark mark(Parameter parameter, Verdict verdict) {
    return new ReviewMark(
        42,
        "wujiang-air-01",
        FROM,
        FROM.plusSeconds(7200),
        parameter,
        verdict,
        ReviewReason.CALIBRATION,
        "zero drift",
        FROM.plusSeconds(9000),
        "wujiang-bureau");
  }

  @Test
  void aMarkOfOneParameterRoundTripsWithoutItsAuthorAndNote() throws DecodeException {
    ReviewMark decoded =
        ReviewMarkJson.decode(ReviewMarkJson.encode(mark(Parameter.PM25, Verdict.INVALID)));
    assertThat(decoded)
        .isEqualTo(
            new ReviewMark(
                42,
                "wujiang-air-01",
                FROM,
                FROM.plusSeconds(7200),
                Parameter.PM25,
                Verdict.INVALID,
                ReviewReason.CALIBRATION,
                null,
                FROM.plusSeconds(9000),
                null));
  }

  @Test
  void aMarkOfEveryValueHasNoParameter() throws DecodeException {
    byte[] json = ReviewMarkJson.encode(mark(null, Verdict.VALID));
    assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("parameter");
    ReviewMark decoded = ReviewMarkJson.decode(json);
    assertThat(decoded.parameter()).isNull();
    assertThat(decoded.verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void aMarkWithoutItsRangeIsRefusedNamingTheField() {
    byte[] json =
        ("{\"id\":1,\"pointId\":\"p\",\"from\":\"2026-12-03T00:00:00Z\",\"verdict\":\"INVALID\","
                + "\"reason\":\"OTHER\",\"createdAt\":\"2026-12-03T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ReviewMarkJson.decode(json))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("to");
  }

  @Test
  void anUnknownParameterIsRefused() {
    byte[] json =
        ("{\"id\":1,\"pointId\":\"p\",\"from\":\"2026-12-03T00:00:00Z\","
                + "\"to\":\"2026-12-03T01:00:00Z\",\"parameter\":\"pm3\",\"verdict\":\"INVALID\","
                + "\"reason\":\"OTHER\",\"createdAt\":\"2026-12-03T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ReviewMarkJson.decode(json))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("pm3");
  }
}
