package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.readings.HourlyRollup.HourRange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HourlyRollupTest {

  private static HourRange hours(String from, String to) {
    return new HourRange(Instant.parse(from), Instant.parse(to));
  }

  @Test
  void pendingHoursCloseTogetherAreComputedAsOneRange() {
    assertThat(
            HourlyRollup.merged(
                List.of(
                    hours("2026-11-02T05:00:00Z", "2026-11-02T06:00:00Z"),
                    hours("2026-11-01T00:00:00Z", "2026-11-01T01:00:00Z"),
                    hours("2026-11-01T03:00:00Z", "2026-11-01T04:00:00Z"),
                    hours("2026-11-01T00:00:00Z", "2026-11-01T02:00:00Z"))))
        .containsExactly(
            hours("2026-11-01T00:00:00Z", "2026-11-01T04:00:00Z"),
            hours("2026-11-02T05:00:00Z", "2026-11-02T06:00:00Z"));
  }
}
