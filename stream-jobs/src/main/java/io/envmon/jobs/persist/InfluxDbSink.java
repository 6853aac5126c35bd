package io.envmon.jobs.persist;

import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.wire.LineProtocol;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes elements to InfluxDB 1.x in batches of {@code batchSize} points. {@link SinkWriter#flush}
 * runs before every checkpoint barrier and at end of input, so a completed checkpoint means every
 * element before it is in InfluxDB (at-least-once); points are built so a replay overwrites the
 * same series and timestamp, which makes it effectively exactly-once. Points go into the retention
 * policy the sink is made with, or the database's default one (infinite: docs/infrastructure.md,
 * "Retention").
 */
public final class InfluxDbSink<T> implements Sink<T> {

  private static final Logger log = LoggerFactory.getLogger(InfluxDbSink.class);

  /** Writes one element as the InfluxDB lines that store it. */
  public interface PointMapper<T> extends Serializable {
    void write(T element, LineProtocol lines);
  }

  private final String url;
  private final String database;
  private final String retentionPolicy;
  private final int batchSize;
  private final PointMapper<T> mapper;

  /** Into the database's default retention policy. */
  public InfluxDbSink(String url, String database, int batchSize, PointMapper<T> mapper) {
    this(url, database, null, batchSize, mapper);
  }

  /**
   * @param retentionPolicy the policy every point goes into; null: the database's default
   */
  public InfluxDbSink(
      String url, String database, String retentionPolicy, int batchSize, PointMapper<T> mapper) {
    this.url = url;
    this.database = database;
    this.retentionPolicy = retentionPolicy;
    this.batchSize = batchSize;
    this.mapper = mapper;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    InfluxDB influx = InfluxDBFactory.connect(url);
    ReadingStore.setUp(database, Optional.empty(), statement -> run(influx, statement));
    return new Writer<>(influx, database, retentionPolicy, batchSize, mapper);
  }

  /**
   * Sets the database up as the sink does (the tests that write readings older than the default
   * retention set a longer one first: an existing policy is left as it is).
   */
  public static void setUp(String url, String database, Optional<Duration> rawRetention) {
    try (InfluxDB influx = InfluxDBFactory.connect(url)) {
      ReadingStore.setUp(database, rawRetention, statement -> run(influx, statement));
    }
  }

  /** One InfluxQL statement; its error, if any. */
  private static Optional<String> run(InfluxDB influx, String statement) {
    try {
      QueryResult result = influx.query(new Query(statement, null, true));
      if (result.getError() != null) {
        return Optional.of(result.getError());
      }
      return result.getResults().stream()
          .map(QueryResult.Result::getError)
          .filter(java.util.Objects::nonNull)
          .findFirst();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  private static final class Writer<T> implements SinkWriter<T> {
    private final InfluxDB influx;
    private final String database;
    private final String retentionPolicy;
    private final int batchSize;
    private final PointMapper<T> mapper;
    private final LineProtocol buffer = new LineProtocol();

    Writer(
        InfluxDB influx,
        String database,
        String retentionPolicy,
        int batchSize,
        PointMapper<T> mapper) {
      this.influx = influx;
      this.database = database;
      this.retentionPolicy = retentionPolicy;
      this.batchSize = batchSize;
      this.mapper = mapper;
    }

    @Override
    public void write(T element, Context context) throws IOException {
      mapper.write(element, buffer);
      if (buffer.lines() >= batchSize) {
        writeBuffer();
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      writeBuffer();
    }

    /** A failed write fails the task, so Flink restarts from the last checkpoint and replays. */
    private void writeBuffer() throws IOException {
      if (buffer.isEmpty()) {
        return;
      }
      try {
        influx.write(
            database,
            retentionPolicy,
            InfluxDB.ConsistencyLevel.ONE,
            TimeUnit.MILLISECONDS,
            buffer.text());
      } catch (RuntimeException e) {
        // the rest of the batch is written; failing would replay the batch and fail again forever
        if (String.valueOf(e.getMessage()).contains("points beyond retention policy dropped")) {
          log.warn(
              "InfluxDB dropped readings older than the retention of {}: {}",
              database,
              e.getMessage());
        } else {
          throw new IOException("writing " + buffer.lines() + " points to InfluxDB failed", e);
        }
      }
      buffer.clear();
    }

    @Override
    public void close() {
      influx.close();
    }
  }
}
