package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.api.problem.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Time ranges of reading queries")
class TimeRangeTest {

  static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

  @Test
  @DisplayName("without from and to, the last default length up to now")
  void defaultsToLastDay() {
    assertThat(TimeRange.parse(null, null, NOW, Duration.ofDays(1), Duration.ofDays(2)))
        .isEqualTo(new TimeRange(NOW.minus(Duration.ofDays(1)), NOW));
  }

  @Test
  @DisplayName("offsets other than Z are understood")
  void acceptsOffsets() {
    assertThat(TimeRange.instant("from", "2026-11-21T16:00:00+08:00")).isEqualTo(NOW);
  }

  @Test
  @DisplayName("an inverted, empty or too long range names the field")
  void rejectsBadRanges() {
    assertThatThrownBy(
            () ->
                TimeRange.parse(
                    "2026-11-21T09:00:00Z", null, NOW, Duration.ofDays(1), Duration.ofDays(2)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("from"));
    assertThatThrownBy(
            () ->
                TimeRange.parse(
                    "2026-11-01T00:00:00Z", null, NOW, Duration.ofDays(1), Duration.ofDays(2)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("to"));
    assertThatThrownBy(() -> TimeRange.instant("at", "2026-11-21 08:00"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ISO-8601");
  }
}
