package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;

/**
 * The keyed state of one point and alert type: the active alert if any, and the streaks of
 * breaching and good observations that hysteresis counts.
 */
public record Episode(Alert active, int breachStreak, int recoveryStreak) {
  public static final Episode NONE = new Episode(null, 0, 0);
}
