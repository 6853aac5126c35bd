package io.envmon.jobs.ratio;

import io.envmon.domain.ratio.ClusterRatios;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.review.ReviewMark;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RegistryState;
import io.envmon.jobs.persist.InfluxDbSink;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Sharing ratios (indicator L3P1-A1) every minute of event time for each city and the cluster, to
 * the given sinks (Kafka {@code envmon.sharing-ratios.v1} and InfluxDB in production).
 */
public final class SharingRatioJob {
  private final RatioSettings settings;
  private final Sink<SharingRatioRecord> ratios;
  private final Sink<SharingRatioRecord> history;

  public SharingRatioJob(
      RatioSettings settings, Sink<SharingRatioRecord> ratios, Sink<SharingRatioRecord> history) {
    this.settings = settings;
    this.ratios = ratios;
    this.history = history;
  }

  /**
   * @param marks the bureaus' review marks; null: none (tests of other parts)
   */
  public DataStream<SharingRatioRecord> attach(
      DataStream<AcceptedReading> readings,
      DataStream<PointUpdate> points,
      DataStream<ReviewMark> marks) {
    String clusterId = settings.clusterId();
    TypeInformation<RatioBroadcast> type = TypeInformation.of(RatioBroadcast.class);
    // Parallelism 1 like their readers, so that each stream's records stay in order.
    DataStream<RatioBroadcast> broadcast =
        points
            .map(RatioBroadcast::of)
            .returns(type)
            .setParallelism(1)
            .name("registry for the ratios")
            .uid("ratio-registry");
    if (marks != null) {
      broadcast =
          broadcast.union(
              marks
                  .map(RatioBroadcast::of)
                  .returns(type)
                  .setParallelism(1)
                  .name("review marks for the ratios")
                  .uid("ratio-review-marks"));
    }
    DataStream<ClusterRatios> computed =
        readings
            .keyBy(reading -> clusterId)
            .connect(
                broadcast.broadcast(
                    RegistryState.POINTS, RegistryState.CITIES, SharingRatioFunction.MARKS))
            .process(new SharingRatioFunction(settings))
            .name("sharing ratios")
            .uid("sharing-ratios");
    DataStream<SharingRatioRecord> records =
        computed
            .<SharingRatioRecord>flatMap(
                (cluster, out) -> SharingRatioRecord.of(cluster).forEach(out::collect))
            .returns(TypeInformation.of(SharingRatioRecord.class))
            .name("ratio rows")
            .uid("ratio-rows");
    records.sinkTo(ratios).name("sharing-ratios topic").uid("sharing-ratios-sink");
    if (history != null) {
      records.sinkTo(history).name("sharing-ratio history").uid("sharing-ratio-history-sink");
    }
    return records;
  }

  /** The ratios' history into the database's default retention policy (kept indefinitely). */
  public static InfluxDbSink<SharingRatioRecord> influxHistory(String url, String database) {
    return new InfluxDbSink<>(url, database, 100, (record, lines) -> record.writeLine(lines));
  }
}
