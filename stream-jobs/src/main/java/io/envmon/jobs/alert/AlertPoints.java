package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.wire.LineProtocol;
import io.envmon.jobs.persist.InfluxDbSink;

/**
 * An alert event as InfluxDB measurement {@code alert} (history for the API): tags city, point,
 * type, state; fields alert_id, severity, message, origin_city, origin_point (JOINT), value,
 * threshold; time = the event's time (updatedAt).
 */
public final class AlertPoints implements InfluxDbSink.PointMapper<Alert> {

  /** Alert events into the database's default retention policy (kept indefinitely). */
  public static InfluxDbSink<Alert> influxHistory(String url, String database) {
    return new InfluxDbSink<>(url, database, 100, new AlertPoints());
  }

  @Override
  public void write(Alert alert, LineProtocol lines) {
    lines
        .measurement("alert")
        .tag("city", alert.cityId())
        .tag("point", alert.pointId())
        .tag("state", alert.state().name())
        .tag("type", alert.type().name())
        .field("alert_id", alert.alertId())
        .field("severity", alert.severity().name())
        .field("message", alert.message());
    if (alert.originCityId() != null) {
      lines.field("origin_city", alert.originCityId());
      lines.field("origin_point", alert.originPointId());
    }
    alert.values().values().stream()
        .findFirst()
        .filter(Double::isFinite)
        .ifPresent(value -> lines.field("value", value));
    if (alert.threshold() != null && Double.isFinite(alert.threshold())) {
      lines.field("threshold", alert.threshold());
    }
    lines.time(alert.updatedAt().toEpochMilli());
  }
}
