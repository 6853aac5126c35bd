package io.envmon.jobs.ingest;

/**
 * The Kafka topics of the contract (docs/architecture.md "One reading's way through the system").
 */
public final class Topics {
  public static final String READINGS = "envmon.readings.v1";
  public static final String POINTS = "envmon.points.v1";
  public static final String SHARING_RATIOS = "envmon.sharing-ratios.v1";
  public static final String ALERTS = "envmon.alerts.v1";
  public static final String DEADLETTER = "envmon.deadletter.v1";
  public static final String REVIEW_MARKS = "envmon.review-marks.v1";

  private Topics() {}
}
