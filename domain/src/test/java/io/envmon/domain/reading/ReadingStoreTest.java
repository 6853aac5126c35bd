package io.envmon.domain.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadingStoreTest {

  @Test
  void theApiSetsTheRawDurationItIsConfiguredWith() {
    List<String> statements = new ArrayList<>();
    ReadingStore.setUp(
        "envmon",
        Optional.of(Duration.ofDays(730)),
        statement -> {
          statements.add(statement);
          return statement.startsWith("CREATE RETENTION")
              ? Optional.of("retention policy conflicts with an existing policy")
              : Optional.empty();
        });
    assertThat(statements)
        .containsExactly(
            "CREATE DATABASE \"envmon\"",
            "CREATE RETENTION POLICY \"raw\" ON \"envmon\" DURATION 17520h REPLICATION 1"
                + " SHARD DURATION 1w",
            "CREATE RETENTION POLICY \"forever\" ON \"envmon\" DURATION INF REPLICATION 1"
                + " SHARD DURATION 52w",
            "ALTER RETENTION POLICY \"raw\" ON \"envmon\" DURATION 17520h SHARD DURATION 1w");
    assertThat(statements).noneMatch(statement -> statement.contains("DEFAULT"));
  }

  @Test
  void withoutADurationAnExistingPolicyIsLeftAsItIs() {
    List<String> statements = new ArrayList<>();
    ReadingStore.setUp(
        "envmon",
        Optional.empty(),
        statement -> {
          statements.add(statement);
          return Optional.empty();
        });
    assertThat(statements).hasSize(3).noneMatch(statement -> statement.startsWith("ALTER"));
    assertThat(statements.get(1)).contains("DURATION 8736h").doesNotContain("DEFAULT");
  }

  @Test
  void shortRetentionsGetShortShards() {
    assertThat(ReadingStore.shardDuration(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(ReadingStore.shardDuration(Duration.ofDays(30))).isEqualTo("1d");
    assertThat(ReadingStore.shardDuration(ReadingStore.DEFAULT_RAW_RETENTION)).isEqualTo("1w");
  }

  @Test
  void aRetentionUnderAnHourOrAFailedCreateIsAnError() {
    assertThatThrownBy(() -> ReadingStore.influxDuration(Duration.ofMinutes(30)))
        .hasMessageContaining("at least 1h");
    assertThatThrownBy(
            () ->
                ReadingStore.setUp(
                    "envmon", Optional.empty(), statement -> Optional.of("unauthorized")))
        .hasMessageContaining("envmon")
        .hasMessageContaining("unauthorized");
  }
}
