package io.envmon.jobs.alert;

import io.envmon.domain.alert.Alert;
import io.envmon.jobs.persist.InfluxDbSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

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
  public List<Point> points(Alert alert) {
    Point.Builder point =
        Point.measurement("alert")
            .time(alert.updatedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", alert.cityId())
            .tag("point", alert.pointId())
            .tag("type", alert.type().name())
            .tag("state", alert.state().name())
            .addField("alert_id", alert.alertId())
            .addField("severity", alert.severity().name())
            .addField("message", alert.message());
    if (alert.originCityId() != null) {
      point.addField("origin_city", alert.originCityId());
      point.addField("origin_point", alert.originPointId());
    }
    alert.values().values().stream().findFirst().ifPresent(value -> point.addField("value", value));
    if (alert.threshold() != null) {
      point.addField("threshold", alert.threshold());
    }
    return List.of(point.build());
  }
}
