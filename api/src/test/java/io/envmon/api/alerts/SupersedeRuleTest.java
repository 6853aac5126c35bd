package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which of two active episodes of a point and type stays, and how the other is closed. */
class SupersedeRuleTest {

  private static final Instant T0 = Instant.parse("2026-12-02T16:00:00Z");

  @Test
  @DisplayName(
      "the episode that started later wins; equal starts: the greater id, either way round")
  void laterStartWinsTiesByGreaterId() {
    Alert early = episode("b", T0, T0.plusSeconds(600));
    Alert late = episode("a", T0.plusSeconds(60), T0.plusSeconds(60));
    assertThat(AlertStore.startsLater(late, early)).isTrue();
    assertThat(AlertStore.startsLater(early, late)).isFalse();

    Alert sameStartA = episode("a", T0, T0);
    Alert sameStartB = episode("b", T0, T0);
    assertThat(AlertStore.startsLater(sameStartB, sameStartA)).isTrue();
    assertThat(AlertStore.startsLater(sameStartA, sameStartB)).isFalse();
  }

  @Test
  @DisplayName(
      "the closed episode is CLEARED as of the later of its last change and the winner's start,"
          + " names the winner, and is stamped now (delayed when the winner's data was late)")
  void closedEpisodeNamesWinnerAndTime() {
    Instant now = T0.plusSeconds(7200);
    Alert loser = episode("old", T0, T0.plusSeconds(60));
    Alert winner =
        episode("new", T0.plusSeconds(600), T0.plusSeconds(600)).detected(now, true, "late", "迟到");

    Alert closed = AlertStore.superseded(loser, winner, now);
    assertThat(closed.alertId()).isEqualTo("old");
    assertThat(closed.state()).isEqualTo(AlertState.CLEARED);
    assertThat(closed.startedAt()).isEqualTo(T0);
    assertThat(closed.updatedAt()).isEqualTo(T0.plusSeconds(600));
    assertThat(closed.message()).startsWith("superseded by alert new ");
    assertThat(closed.messageZh()).contains("new");
    assertThat(closed.detectedAt()).isEqualTo(now);
    assertThat(closed.delayed()).isTrue();

    Alert changedAfterWinnerStarted = episode("old", T0, T0.plusSeconds(900));
    assertThat(AlertStore.superseded(changedAfterWinnerStarted, winner, now).updatedAt())
        .isEqualTo(T0.plusSeconds(900));
  }

  private static Alert episode(String id, Instant start, Instant updated) {
    return new Alert(
        id,
        AlertType.AIR_QUALITY,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        "qingpu-air-01",
        "qingpu",
        PointKind.AIR,
        Map.of("aqi", 230.0),
        200.0,
        "AQI 230",
        null,
        start,
        updated,
        null,
        null,
        null);
  }
}
