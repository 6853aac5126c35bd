package io.envmon.domain.alert;

/**
 * Lifecycle of one alert episode as the jobs see it: raised, possibly escalated, then cleared when
 * the readings recover. Acknowledgement by a person is kept by the API, not by the stream.
 */
public enum AlertState {
  RAISED,
  ESCALATED,
  CLEARED
}
