package io.envmon.domain.wire;

/**
 * The Kafka topics of the contract, one place for every module (docs/architecture.md "One reading's
 * way through the system"); each module may still be configured with another name.
 */
public final class KafkaTopics {
  /** Accepted readings, keyed by point id ({@code AcceptedReadingJson}). */
  public static final String READINGS = "envmon.readings.v1";

  /** The registry: monitoring points and cities, compacted ({@code MonitoringPointJson}). */
  public static final String POINTS = "envmon.points.v1";

  /** The data-sharing ratios the jobs publish per city and minute. */
  public static final String SHARING_RATIOS = "envmon.sharing-ratios.v1";

  /** Alert changes, keyed by alert id ({@code AlertJson}). */
  public static final String ALERTS = "envmon.alerts.v1";

  /** Records the platform could not take, with why. */
  public static final String DEADLETTER = "envmon.deadletter.v1";

  /** Review marks of the bureaus ({@code ReviewMarkJson}). */
  public static final String REVIEW_MARKS = "envmon.review-marks.v1";

  private KafkaTopics() {}
}
