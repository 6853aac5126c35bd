package io.envmon.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class AlertLatencyTest {

  private static final Instant LOUD = Instant.parse("2026-12-02T16:57:00Z");

  @Test
  void aProbesRaisedEventOnTheStreamIsMatchedToItsLoudReading() throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    sentAt.put(AlertLatency.key("benchcity-noise-p01", LOUD), System.nanoTime());
    String stream =
        String.join(
            "\n",
            ": heartbeat",
            "",
            "id: 7",
            "event: raised",
            "data: {\"type\":\"DATA_QUALITY\",\"pointId\":\"benchcity-air-0001\","
                + "\"startedAt\":\"2026-12-02T16:57:00Z\"}",
            "",
            "id: 8",
            "event: raised",
            "data: {\"type\":\"NOISE_LIMIT\",\"pointId\":\"benchcity-noise-p01\",",
            "data: \"startedAt\":\"2026-12-02T16:57:00Z\"}",
            "",
            "id: 9",
            "event: cleared",
            "data: {\"type\":\"NOISE_LIMIT\",\"pointId\":\"benchcity-noise-p01\","
                + "\"startedAt\":\"2026-12-02T16:57:00Z\"}",
            "",
            "id: 10",
            "event: raised",
            "data: {\"type\":\"NOISE_LIMIT\",\"pointId\":\"benchcity-noise-p01\","
                + "\"startedAt\":\"2026-12-02T16:58:00Z\"}",
            "",
            "");
    try (AlertLatency.SseWatcher watcher =
        new AlertLatency.SseWatcher(
            new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
            Set.of("benchcity-noise-p01"),
            sentAt)) {
      await().atMost(Duration.ofSeconds(5)).until(watcher::ended);

      assertThat(watcher.events).hasValue(4);
      assertThat(watcher.latencies).hasSize(1).allSatisfy(n -> assertThat(n).isNotNegative());
      // the raise at 16:58 matches no loud reading that was sent
      assertThat(watcher.unmatched).hasValue(1);
    }
  }

  @Test
  void theTablePutsTheThreeHopsSideBySide() {
    AlertLatency.Result result =
        new AlertLatency.Result(
            5000,
            4800,
            2,
            List.of(100_000_000L, 300_000_000L),
            List.of(1_000_000_000L, 2_500_000_000L),
            List.of(1_200_000_000L),
            Map.of("NOISE_LIMIT RAISED", 2L),
            5,
            0);

    assertThat(result.complete()).isFalse();
    assertThat(result.table())
        .isEqualTo(
            String.join(
                "\n",
                "| reading-to-alert | Kafka read_uncommitted | Kafka read_committed | API SSE |",
                "| --- | ---: | ---: | ---: |",
                "| alerts seen of 2 | 2 | 2 | 1 |",
                "| p50 ms | 100 | 1,000 | 1,200 |",
                "| p99 ms | 300 | 2,500 | 1,200 |",
                "| max ms | 300 | 2,500 | 1,200 |"));
  }
}
