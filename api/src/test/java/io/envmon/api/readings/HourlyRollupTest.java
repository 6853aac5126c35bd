package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.readings.HourlyRollup.HourRange;
import io.envmon.domain.reading.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

  @Test
  void anImportsHoursAreGroupedByOriginTooAndReadOnlyItsStagedReadings() {
    String statement =
        HourlyRollup.hourlyInto(
            Parameter.PM25,
            "\"forever\".\"import_staging\"",
            Optional.of("\"import\" = 'abc'"),
            Instant.parse("2024-11-01T00:00:00Z"),
            Instant.parse("2024-11-02T00:00:00Z"),
            List.of("origin"));
    assertThat(statement)
        .startsWith(
            "SELECT mean(\"pm25\") AS \"pm25_mean\", min(\"pm25\") AS \"pm25_min\", max(\"pm25\")"
                + " AS \"pm25_max\", count(\"pm25\") AS \"pm25_count\" INTO \"forever\".\"reading_1h\"")
        .contains(
            " FROM \"forever\".\"import_staging\" WHERE \"pm25_flag\" = 'N' AND \"import\" = 'abc'")
        .endsWith(" GROUP BY time(1h), \"city\", \"point\", \"kind\", \"origin\" fill(none)");
  }

  @Test
  void importsKeepADayBeforeTheRetentionEndAsHoursAtMostHalfTheRetention() {
    Instant now = Instant.parse("2026-12-03T00:00:00Z");
    RetentionConfiguration year =
        new RetentionConfiguration(
            Duration.ofDays(364), Duration.ofDays(31), Duration.ofMinutes(1), Duration.ofHours(3));
    assertThat(year.hoursOnlyBefore(now)).isEqualTo(now.minus(Duration.ofDays(363)));
    RetentionConfiguration hour =
        new RetentionConfiguration(
            Duration.ofHours(1), Duration.ofDays(31), Duration.ofMinutes(1), Duration.ofHours(3));
    assertThat(hour.hoursOnlyBefore(now)).isEqualTo(now.minus(Duration.ofMinutes(30)));
  }
}
