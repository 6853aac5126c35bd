package io.envmon.domain.alert;

/** What an alert is about (docs/alerts.md). JOINT is an alert delivered across cities. */
public enum AlertType {
  AIR_QUALITY,
  WATER_CLASS,
  NOISE_LIMIT,
  DEVICE_OFFLINE,
  DATA_QUALITY,
  JOINT
}
