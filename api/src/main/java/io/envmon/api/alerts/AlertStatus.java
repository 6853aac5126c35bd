package io.envmon.api.alerts;

import io.envmon.domain.alert.AlertState;
import java.util.Set;

/** The {@code status} filter of {@code GET /alerts}: RAISED and ESCALATED are active. */
public enum AlertStatus {
  ACTIVE(Set.of(AlertState.RAISED, AlertState.ESCALATED)),
  CLEARED(Set.of(AlertState.CLEARED)),
  ALL(Set.of(AlertState.values()));

  private final Set<AlertState> states;

  AlertStatus(Set<AlertState> states) {
    this.states = states;
  }

  public Set<AlertState> states() {
    return states;
  }
}
