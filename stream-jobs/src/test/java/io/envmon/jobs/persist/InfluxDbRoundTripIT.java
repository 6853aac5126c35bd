package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.wire.LineProtocol;
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
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real InfluxDB reads what {@link LineProtocol} writes: escaped tags, quoted strings, floats in
 * every form {@link Double#toString} takes, integers, booleans, millisecond times.
 */
@WithRealInfrastructure
class InfluxDbRoundTripIT {

  @Test
  @DisplayName("lines written in one request are queried back with exact values and timestamps")
  void linesAreQueriedBackExactly(Infrastructure infrastructure) {
    String database = "it_readings_" + UUID.randomUUID().toString().replace("-", "");
    Instant first = Instant.parse("2025-11-21T00:00:00.123Z");
    Instant second = Instant.parse("2025-11-21T01:00:00Z");
    String awkward = "a \"quoted\", spaced=value \\ with a backslash";
    LineProtocol lines = new LineProtocol();
    lines
        .measurement("air")
        .tag("city", "wu jiang,=x")
        .tag("point", "wujiang-air-01")
        .field("pm25", 35.2)
        .field("tiny", 1.0e-5)
        .field("huge", 1.5e21)
        .field("count", 80L)
        .field("late", true)
        .field("note", awkward)
        .time(first.toEpochMilli());
    lines
        .measurement("air")
        .tag("city", "wu jiang,=x")
        .tag("point", "wujiang-air-01")
        .field("pm25", 118.0)
        .field("tiny", -0.000123)
        .field("huge", 1.0e7)
        .field("count", -3L)
        .field("late", false)
        .field("note", "N")
        .time(second.toEpochMilli());

    try (InfluxDB influx = InfluxDBFactory.connect(infrastructure.influxUrl())) {
      influx.query(new Query("CREATE DATABASE \"" + database + "\""));
      try {
        influx.write(
            database, null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.text());

        QueryResult result =
            influx.query(
                BoundParameterQuery.QueryBuilder.newQuery(
                        "SELECT city, pm25, tiny, huge, \"count\", late, note FROM air"
                            + " WHERE point = $point")
                    .forDatabase(database)
                    .bind("point", "wujiang-air-01")
                    .create());

        assertThat(result.hasError()).as(result.getError()).isFalse();
        QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
        List<Map<String, Object>> rows = rows(series);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
            .containsEntry("time", first.toString())
            .containsEntry("city", "wu jiang,=x")
            .containsEntry("pm25", 35.2)
            .containsEntry("tiny", 1.0e-5)
            .containsEntry("huge", 1.5e21)
            .containsEntry("count", 80.0)
            .containsEntry("late", true)
            .containsEntry("note", awkward);
        assertThat(rows.get(1))
            .containsEntry("time", second.toString())
            .containsEntry("pm25", 118.0)
            .containsEntry("tiny", -0.000123)
            .containsEntry("huge", 1.0e7)
            .containsEntry("count", -3.0)
            .containsEntry("late", false)
            .containsEntry("note", "N");
      } finally {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
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
