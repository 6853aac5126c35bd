package io.envmon.jobs.ingest;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.review.ReviewMark;
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
 * The first stage of every job: raw readings decoded, stamped with event time = arrival at the
 * platform and the platform clock's watermarks ({@link ArrivalClock}); undecodable records to the
 * dead-letter sink.
 */
public final class ReadingIngest {

  private ReadingIngest() {}

  public static DataStream<AcceptedReading> readings(
      StreamExecutionEnvironment env,
      Source<RawRecord, ?, ?> source,
      Sink<DeadLetter> deadLetters,
      ArrivalClock clock) {
    DataStream<RawRecord> raw =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings").uid("readings-source");
    return decode(raw, deadLetters, clock);
  }

  public static DataStream<AcceptedReading> decode(
      DataStream<RawRecord> raw, Sink<DeadLetter> deadLetters, ArrivalClock clock) {
    SingleOutputStreamOperator<AcceptedReading> decoded =
        raw.process(new DecodeReadings(clock.clock(), clock.allowance()))
            .name("decode readings")
            .uid("decode-readings");
    decoded
        .getSideOutput(DecodeReadings.DEAD_LETTERS)
        .sinkTo(deadLetters)
        .name("dead letters")
        .uid("dead-letters-sink");
    return decoded
        .assignTimestampsAndWatermarks(clock.watermarks())
        .name("event time")
        .uid("event-time");
  }

  /**
   * The bureaus' review marks, read by one reader. They never hold event time back (their watermark
   * is "end of time" from the start): a mark read after a minute was published corrects it, as any
   * mark does.
   */
  public static DataStream<ReviewMark> reviewMarks(
      StreamExecutionEnvironment env, Source<ReviewMark, ?, ?> source) {
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "review marks")
        .setParallelism(1)
        .uid("review-marks-source")
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<ReviewMark>forGenerator(context -> new EndOfTime<>()))
        .setParallelism(1)
        .name("review marks: end of time")
        .uid("review-marks-time");
  }

  /** Says "end of time" at every periodic emit: the stream holds no operator's clock back. */
  private static final class EndOfTime<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
  }

  /**
   * The registry, read by one reader, with the watermark of {@code catchUp}: none until the
   * registry has been read up to its end at start, then "end of time".
   */
  public static DataStream<PointUpdate> points(
      StreamExecutionEnvironment env, Source<PointUpdate, ?, ?> source, RegistryCatchUp catchUp) {
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "points")
        .setParallelism(1)
        .uid("points-source")
        .assignTimestampsAndWatermarks(catchUp)
        .setParallelism(1)
        .name("registry caught up?")
        .uid("registry-catch-up");
  }
}
