package io.envmon.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InfluxWriteStatsTest {

  /**
   * influxd 1.6.7's answer to {@code SHOW STATS FOR 'shard'} after writing, twice, a batch of two
   * readings and a mark 40 h old and a reading three weeks old into envmon_bench's raw (two shards:
   * 6 and 2 points), and a point each into raw of another database, envmon_bench's autogen and
   * envmon_bench's forever.
   */
  private static JsonNode sample() throws Exception {
    try (InputStream in = InfluxWriteStatsTest.class.getResourceAsStream("show-stats-1.6.json")) {
      return new ObjectMapper().readTree(in).path("results").path(0);
    }
  }

  @Test
  void sumsThePointsWrittenOverEveryShardOfTheDatabasesRawPolicyAndNoOther() throws Exception {
    assertThat(InfluxWriteStats.pointsWritten(sample(), "envmon_bench", "raw")).isEqualTo(8);
    assertThat(InfluxWriteStats.pointsWritten(sample(), "other", "raw")).isEqualTo(1);
  }

  @Test
  void aPolicyWithoutShardsHasWrittenNothing() throws Exception {
    assertThat(InfluxWriteStats.pointsWritten(sample(), "envmon_bench", "missing")).isZero();
  }

  @Test
  void anErrorAnswerIsNotReadAsZero() throws Exception {
    JsonNode error = new ObjectMapper().readTree("{\"statement_id\":0,\"error\":\"denied\"}");
    assertThatThrownBy(() -> InfluxWriteStats.pointsWritten(error, "envmon_bench", "raw"))
        .hasMessageContaining("denied");
  }

  @Test
  void theBenchsReadingsAreLateUntilTheNewestComesWithinAnHourOfTheFirstWrite() {
    Instant launched = Instant.parse("2026-12-03T12:00:00Z");
    Instant start = launched.minus(Duration.ofHours(40));
    Duration spacing = Duration.ofSeconds(10);
    // 1,000 stations: reading 14,040,000 is every station's 14,040th, observed 38 h 59 min 50 s on
    assertThat(InfluxWriteStats.everyReadingLate(start, spacing, 1000, 0, launched)).isTrue();
    assertThat(InfluxWriteStats.everyReadingLate(start, spacing, 1000, 14_040_000, launched))
        .isTrue();
    assertThat(InfluxWriteStats.everyReadingLate(start, spacing, 1000, 14_040_001, launched))
        .isFalse();
  }
}
