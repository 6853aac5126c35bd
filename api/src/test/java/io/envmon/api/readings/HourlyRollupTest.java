package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.api.readings.HourlyRollup.HourRange;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.wire.LineProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @Test
  void theHoursLateReadingsMarkedAreMarkedAgainWhenComputingThemFails() {
    Instant late = Instant.parse("2026-11-01T03:00:00Z");
    List<String> executed = new ArrayList<>();
    List<String> written = new ArrayList<>();
    InfluxReader failingInto =
        new InfluxReader(null, new InfluxConfiguration("http://unused", "envmon", null, null)) {
          @Override
          public Optional<String> execute(String influxQl) {
            executed.add(influxQl);
            return influxQl.contains(" INTO ") ? Optional.of("disk full") : Optional.empty();
          }

          @Override
          public List<Row> query(String influxQl, Map<String, Object> parameters) {
            return influxQl.contains(ReadingStore.PENDING)
                ? List.of(new Row(Map.of(), Map.of("time", late)))
                : List.of();
          }

          @Override
          public Optional<String> write(String retentionPolicy, LineProtocol lines) {
            assertThat(retentionPolicy).isEqualTo(ReadingStore.RAW_POLICY);
            written.add(lines.text());
            return Optional.empty();
          }
        };
    HourlyRollup rollup =
        new HourlyRollup(
            failingInto,
            new RetentionConfiguration(
                Duration.ofDays(364),
                Duration.ofDays(31),
                Duration.ofMinutes(1),
                Duration.ofHours(3)),
            Clock.fixed(Instant.parse("2026-12-03T00:00:00Z"), ZoneOffset.UTC));

    assertThatThrownBy(rollup::sweep).hasMessageContaining("disk full");

    assertThat(executed).anyMatch(q -> q.startsWith("DELETE FROM \"" + ReadingStore.PENDING));
    assertThat(written)
        .singleElement()
        .satisfies(
            mark ->
                assertThat(mark)
                    .isEqualTo(
                        ReadingStore.PENDING
                            + ",point=rollup late=true "
                            + late.toEpochMilli()
                            + "\n"));
  }
}
