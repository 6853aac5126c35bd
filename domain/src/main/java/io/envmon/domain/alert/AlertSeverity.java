package io.envmon.domain.alert;

/** How urgent an alert is, from least to most. */
public enum AlertSeverity {
  INFO,
  WARNING,
  MAJOR,
  CRITICAL;

  public boolean isMoreSevereThan(AlertSeverity other) {
    return compareTo(other) > 0;
  }
}
