package io.envmon.jobs;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.review.ReviewMark;
import io.envmon.jobs.alert.AlertJob;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.DeadLetter;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.RawRecord;
import io.envmon.jobs.ingest.ReadingIngest;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.jobs.persist.PersistJob;
import io.envmon.jobs.ratio.RatioSettings;
import io.envmon.jobs.ratio.SharingRatioJob;
import io.envmon.jobs.ratio.SharingRatioRecord;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Every envmon job in one Flink pipeline, from its sources to its sinks: readings decoded once,
 * then persisted, turned into alerts and into sharing ratios (which follow the review marks).
 * Production passes Kafka and InfluxDB ({@link StreamJobsMain}); tests pass their own sources and
 * sinks.
 */
public record StreamJobs(
    Source<RawRecord, ?, ?> readings,
    Source<PointUpdate, ?, ?> points,
    Sink<DeadLetter> deadLetters,
    Sink<AcceptedReading> readingStore,
    Sink<Alert> alerts,
    Sink<Alert> alertHistory,
    Sink<SharingRatioRecord> ratios,
    Sink<SharingRatioRecord> ratioHistory,
    RegistryCatchUp registryCatchUp,
    Source<ReviewMark, ?, ?> reviewMarks) {

  /** How long the registry is waited for when its end offsets are not known. */
  public static final Duration DEFAULT_REGISTRY_WAIT = Duration.ofSeconds(30);

  /** Without review marks (tests of other parts; production reads envmon.review-marks.v1). */
  public StreamJobs(
      Source<RawRecord, ?, ?> readings,
      Source<PointUpdate, ?, ?> points,
      Sink<DeadLetter> deadLetters,
      Sink<AcceptedReading> readingStore,
      Sink<Alert> alerts,
      Sink<Alert> alertHistory,
      Sink<SharingRatioRecord> ratios,
      Sink<SharingRatioRecord> ratioHistory,
      RegistryCatchUp registryCatchUp) {
    this(
        readings,
        points,
        deadLetters,
        readingStore,
        alerts,
        alertHistory,
        ratios,
        ratioHistory,
        registryCatchUp,
        null);
  }

  /** Without the registry's end offsets: its readers wait for {@link #DEFAULT_REGISTRY_WAIT}. */
  public StreamJobs(
      Source<RawRecord, ?, ?> readings,
      Source<PointUpdate, ?, ?> points,
      Sink<DeadLetter> deadLetters,
      Sink<AcceptedReading> readingStore,
      Sink<Alert> alerts,
      Sink<Alert> alertHistory,
      Sink<SharingRatioRecord> ratios,
      Sink<SharingRatioRecord> ratioHistory) {
    this(
        readings,
        points,
        deadLetters,
        readingStore,
        alerts,
        alertHistory,
        ratios,
        ratioHistory,
        RegistryCatchUp.timeoutOnly(DEFAULT_REGISTRY_WAIT));
  }

  public void attach(
      StreamExecutionEnvironment env,
      ArrivalClock clock,
      AlertSettings alertSettings,
      RatioSettings ratioSettings) {
    DataStream<AcceptedReading> decoded = ReadingIngest.readings(env, readings, deadLetters, clock);
    DataStream<PointUpdate> registry = ReadingIngest.points(env, points, registryCatchUp);
    new PersistJob(readingStore).attach(decoded);
    new AlertJob(alertSettings, alerts, alertHistory).attach(decoded, registry);
    DataStream<ReviewMark> marks =
        reviewMarks == null ? null : ReadingIngest.reviewMarks(env, reviewMarks);
    new SharingRatioJob(ratioSettings, ratios, ratioHistory).attach(decoded, registry, marks);
  }
}
