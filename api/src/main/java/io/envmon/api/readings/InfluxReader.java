package io.envmon.api.readings;

import io.envmon.domain.wire.LineProtocol;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Runs InfluxQL against the envmon database and hands back rows as column maps with {@code time} as
 * an {@link Instant}. Tag values are bound parameters in queries; statements that change data
 * ({@link #execute}) quote them with {@link #quoted}.
 */
@Singleton
public class InfluxReader {

  /** One row of a series: its tags and its columns by name. */
  public record Row(Map<String, String> tags, Map<String, Object> columns) {
    public Instant time() {
      return (Instant) columns.get("time");
    }
  }

  private final InfluxDB influx;
  private final InfluxConfiguration configuration;

  public InfluxReader(InfluxDB influx, InfluxConfiguration configuration) {
    this.influx = influx;
    this.configuration = configuration;
  }

  /** Nanoseconds since the epoch, as InfluxQL compares {@code time}. */
  public static String nanos(Instant instant) {
    return instant.getEpochSecond() + String.format("%09d", instant.getNano());
  }

  /** The configured database's name. */
  public String database() {
    return configuration.database();
  }

  /**
   * One statement that changes data or schema (SELECT INTO, DELETE, CREATE): sent by POST, as
   * InfluxDB requires; its error, if any. Values in it must be quoted with {@link #quoted}.
   */
  public Optional<String> execute(String influxQl) {
    try {
      QueryResult result = influx.query(new Query(influxQl, configuration.database(), true));
      if (result.getError() != null) {
        return Optional.of(result.getError());
      }
      return result.getResults() == null
          ? Optional.empty()
          : result.getResults().stream()
              .map(QueryResult.Result::getError)
              .filter(Objects::nonNull)
              .findFirst();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** Lines into a retention policy of the database in one request; the error. */
  public Optional<String> write(String retentionPolicy, LineProtocol lines) {
    try {
      influx.write(
          configuration.database(),
          retentionPolicy,
          InfluxDB.ConsistencyLevel.ONE,
          TimeUnit.MILLISECONDS,
          lines.text());
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** An InfluxQL string literal. */
  public static String quoted(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  public List<Row> query(String influxQl, Map<String, Object> parameters) {
    BoundParameterQuery.QueryBuilder builder =
        BoundParameterQuery.QueryBuilder.newQuery(influxQl).forDatabase(configuration.database());
    parameters.forEach(builder::bind);
    QueryResult result = influx.query(builder.create(), TimeUnit.MILLISECONDS);
    List<Row> rows = new ArrayList<>();
    if (result.getError() != null) {
      if (result.getError().contains("database not found")) {
        return rows;
      }
      throw new IllegalStateException("InfluxDB: " + result.getError());
    }
    for (QueryResult.Result statement : result.getResults()) {
      if (statement.getError() != null) {
        if (statement.getError().contains("database not found")) {
          continue;
        }
        throw new IllegalStateException("InfluxDB: " + statement.getError());
      }
      if (statement.getSeries() == null) {
        continue;
      }
      for (QueryResult.Series series : statement.getSeries()) {
        Map<String, String> tags = series.getTags() == null ? Map.of() : series.getTags();
        List<String> columns = series.getColumns();
        for (List<Object> values : series.getValues()) {
          Map<String, Object> row = new HashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            Object value = values.get(i);
            if ("time".equals(columns.get(i)) && value instanceof Number millis) {
              value = Instant.ofEpochMilli(millis.longValue());
            }
            if (value != null) {
              row.put(columns.get(i), value);
            }
          }
          rows.add(new Row(tags, row));
        }
      }
    }
    return rows;
  }
}
