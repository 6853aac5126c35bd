package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real InfluxDB keeps a batch of readings with their tags, fields and exact timestamps. */
@WithRealInfrastructure
class InfluxDbRoundTripIT {

  @Test
  @DisplayName("readings written in a batch are queried back with exact values and timestamps")
  void batchOfReadingsIsQueriedBack(Infrastructure infrastructure) {
    String database = "it_readings_" + UUID.randomUUID().toString().replace("-", "");
    Instant first = Instant.parse("2025-11-21T00:00:00.123456789Z");
    Instant second = Instant.parse("2025-11-21T01:00:00Z");

    try (InfluxDB influx = InfluxDBFactory.connect(infrastructure.influxUrl())) {
      influx.query(new Query("CREATE DATABASE \"" + database + "\""));
      try {
        influx.write(
            BatchPoints.database(database)
                .precision(TimeUnit.NANOSECONDS)
                .point(airReading(first, 35.2, 80, "N"))
                .point(airReading(second, 118.5, 160, "D"))
                .build());

        QueryResult result =
            influx.query(
                BoundParameterQuery.QueryBuilder.newQuery(
                        "SELECT cityId, pm25, pm10, flag FROM air WHERE pointId = $point")
                    .forDatabase(database)
                    .bind("point", "wujiang-air-01")
                    .create());

        assertThat(result.hasError()).as(result.getError()).isFalse();
        QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
        List<Map<String, Object>> rows = rows(series);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
            .containsEntry("time", first.toString())
            .containsEntry("cityId", "wujiang")
            .containsEntry("pm25", 35.2)
            .containsEntry("pm10", 80.0)
            .containsEntry("flag", "N");
        assertThat(rows.get(1))
            .containsEntry("time", second.toString())
            .containsEntry("pm25", 118.5)
            .containsEntry("pm10", 160.0)
            .containsEntry("flag", "D");
      } finally {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
  }

  private static Point airReading(Instant time, double pm25, long pm10, String flag) {
    return Point.measurement("air")
        .time(time.getEpochSecond() * 1_000_000_000L + time.getNano(), TimeUnit.NANOSECONDS)
        .tag("cityId", "wujiang")
        .tag("pointId", "wujiang-air-01")
        .addField("pm25", pm25)
        .addField("pm10", pm10)
        .addField("flag", flag)
        .build();
  }

  /** Columns by name; InfluxDB answers times as RFC 3339 text and numbers as doubles. */
  private static List<Map<String, Object>> rows(QueryResult.Series series) {
    return series.getValues().stream()
        .map(
            values ->
                IntStream.range(0, values.size())
                    .boxed()
                    .collect(Collectors.toMap(series.getColumns()::get, values::get)))
        .toList();
  }
}
