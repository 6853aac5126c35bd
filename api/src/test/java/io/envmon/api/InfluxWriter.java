package io.envmon.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;

/** Writes points the way the stream jobs do (schema in docs/api.md), for tests of the read side. */
public final class InfluxWriter implements AutoCloseable {

  private final InfluxDB influx;
  private final String database;

  public InfluxWriter(ApiTestServer api) {
    this.influx = InfluxDBFactory.connect(api.infrastructure.influxUrl());
    this.database = api.influxDatabase;
  }

  /**
   * One reading: values by canonical parameter, with flag N unless {@code flags} says otherwise.
   */
  public void reading(
      String city,
      String pointId,
      String kind,
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags) {
    Point.Builder point =
        Point.measurement("reading")
            .time(time.toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", city)
            .tag("point", pointId)
            .tag("kind", kind)
            .addField("reading_id", UUID.randomUUID().toString())
            .addField("source", "mqtt");
    values.forEach(
        (name, value) -> {
          point.addField(name, value);
          point.addField(name + "_flag", flags.getOrDefault(name, "N"));
        });
    write(point.build());
  }

  public void write(Point point) {
    influx.write(BatchPoints.database(database).point(point).build());
  }

  @Override
  public void close() {
    influx.close();
  }
}
