package io.envmon.jobs.persist;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.ReadingStore;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Every accepted reading into the store (InfluxDB in production), late ones included: persisting
 * does not depend on watermarks.
 */
public final class PersistJob {
  private final Sink<AcceptedReading> store;

  public PersistJob(Sink<AcceptedReading> store) {
    this.store = store;
  }

  public void attach(DataStream<AcceptedReading> readings) {
    readings.sinkTo(store).name("persist readings").uid("persist-readings");
  }

  /** Readings (and the marks of late ones' hours) into the retention policy {@code raw}. */
  public static InfluxDbSink<AcceptedReading> influxStore(String url, String database, int batch) {
    return new InfluxDbSink<>(url, database, ReadingStore.RAW_POLICY, batch, new ReadingPoints());
  }
}
