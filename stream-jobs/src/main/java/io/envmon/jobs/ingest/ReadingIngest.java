package io.envmon.jobs.ingest;

import io.envmon.domain.reading.AcceptedReading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The first stage of every job: raw readings decoded, stamped with event time (observedAt) and
 * bounded out-of-orderness watermarks; undecodable records to the dead-letter sink.
 */
public final class ReadingIngest {

  private ReadingIngest() {}

  public static DataStream<AcceptedReading> readings(
      StreamExecutionEnvironment env,
      Source<RawRecord, ?, ?> source,
      Sink<DeadLetter> deadLetters,
      Duration outOfOrderness,
      Duration idleness) {
    DataStream<RawRecord> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings").uid("readings-source");
    return decode(raw, deadLetters, outOfOrderness, idleness);
  }

  public static DataStream<AcceptedReading> decode(
      DataStream<RawRecord> raw,
      Sink<DeadLetter> deadLetters,
      Duration outOfOrderness,
      Duration idleness) {
    SingleOutputStreamOperator<AcceptedReading> decoded =
        raw.process(new DecodeReadings()).name("decode readings").uid("decode-readings");
    decoded
        .getSideOutput(DecodeReadings.DEAD_LETTERS)
        .sinkTo(deadLetters)
        .name("dead letters")
        .uid("dead-letters-sink");
    return decoded
        .assignTimestampsAndWatermarks(eventTime(outOfOrderness, idleness))
        .name("event time")
        .uid("event-time");
  }

  /** observedAt as event time, watermarks trailing by {@code outOfOrderness}. */
  public static WatermarkStrategy<AcceptedReading> eventTime(
      Duration outOfOrderness, Duration idleness) {
    WatermarkStrategy<AcceptedReading> strategy =
        WatermarkStrategy.<AcceptedReading>forBoundedOutOfOrderness(outOfOrderness)
            .withTimestampAssigner(
                (reading, previous) -> reading.reading().observedAt().toEpochMilli());
    return idleness == null ? strategy : strategy.withIdleness(idleness);
  }

  /**
   * The registry carries no event time: its watermark is "end of time", so an operator joining it
   * (broadcast) follows the readings' event time only. With {@code noWatermarks()} an unbounded
   * registry source held such operators (the sharing ratios' minute timers) at the start of time.
   */
  public static DataStream<PointUpdate> points(
      StreamExecutionEnvironment env, Source<PointUpdate, ?, ?> source) {
    WatermarkStrategy<PointUpdate> endOfTime =
        WatermarkStrategy.forGenerator(
            context ->
                new WatermarkGenerator<>() {
                  @Override
                  public void onEvent(PointUpdate update, long timestamp, WatermarkOutput output) {}

                  @Override
                  public void onPeriodicEmit(WatermarkOutput output) {
                    output.emitWatermark(new Watermark(Long.MAX_VALUE));
                  }
                });
    return env.fromSource(source, endOfTime, "points").uid("points-source");
  }
}
