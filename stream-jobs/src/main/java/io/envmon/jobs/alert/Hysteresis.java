package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One active alert per point and type: raise after {@code raiseAfter} breaching observations in a
 * row, escalate when the severity rises, clear after {@code clearAfter} good observations in a row.
 * Anything else emits nothing, so a long episode is three events, not a flood.
 */
public record Hysteresis(int raiseAfter, int clearAfter) implements Serializable {

  /** The next episode state and the alert event to emit, if any. */
  public record Step(Episode next, Optional<Alert> emitted) {}

  public Step observe(
      Episode episode,
      Observation observation,
      AlertType type,
      String pointId,
      String cityId,
      PointKind kind) {
    Episode current = episode == null ? Episode.NONE : episode;
    Alert active = current.active();
    // An episode's events never go back in time, even when a late observation continues it.
    Instant at =
        active != null && observation.at().isBefore(active.updatedAt())
            ? active.updatedAt()
            : observation.at();
    if (observation.breaching()) {
      int streak = current.breachStreak() + 1;
      if (active == null) {
        if (streak < raiseAfter) {
          return new Step(new Episode(null, streak, 0), Optional.empty());
        }
        Alert raised =
            new Alert(
                Alert.idFor(type, pointId, cityId, observation.at()),
                type,
                AlertState.RAISED,
                observation.severity(),
                pointId,
                cityId,
                kind,
                observation.values(),
                observation.threshold(),
                observation.message(),
                observation.messageZh(),
                observation.at(),
                observation.at(),
                null,
                null,
                null);
        return new Step(new Episode(raised, streak, 0), Optional.of(raised));
      }
      if (observation.severity().isMoreSevereThan(active.severity())) {
        Alert escalated =
            active.next(
                AlertState.ESCALATED,
                observation.severity(),
                observation.values(),
                observation.message(),
                observation.messageZh(),
                at);
        return new Step(new Episode(escalated, streak, 0), Optional.of(escalated));
      }
      return new Step(new Episode(active, streak, 0), Optional.empty());
    }
    if (active == null) {
      return new Step(Episode.NONE, Optional.empty());
    }
    int recovery = current.recoveryStreak() + 1;
    if (recovery < clearAfter) {
      return new Step(new Episode(active, 0, recovery), Optional.empty());
    }
    Alert cleared =
        active.next(
            AlertState.CLEARED,
            active.severity(),
            observation.values(),
            observation.message(),
            observation.messageZh(),
            at);
    return new Step(Episode.NONE, Optional.of(cleared));
  }
}
