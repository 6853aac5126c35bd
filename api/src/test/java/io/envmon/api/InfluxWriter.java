package io.envmon.api;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.reading.Source;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;

/**
 * Writes readings where the pipeline puts them, for tests of the read side: into InfluxDB the way
 * the stream jobs do (schema in docs/api.md), and the accepted reading to the run's readings topic,
 * which the API's latest view follows (as the jobs persist what they read from it).
 */
public final class InfluxWriter implements AutoCloseable {

  private static final String RAW = ReadingStore.RAW_POLICY;

  private final InfluxDB influx;
  private final String database;
  private final KafkaProducer<byte[], byte[]> producer;
  private final String readingsTopic;

  public InfluxWriter(ApiTestServer api) {
    this.influx = InfluxDBFactory.connect(api.infrastructure.influxUrl());
    this.database = api.influxDatabase;
    this.readingsTopic = api.readingsTopic;
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, api.infrastructure.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * One reading: values by canonical parameter, with flag N unless {@code flags} says otherwise;
   * into InfluxDB and to the readings topic.
   */
  public void reading(
      String city,
      String pointId,
      String kind,
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags) {
    readings(List.of(accepted(city, pointId, kind, time, values, flags)));
  }

  /** The reading to the readings topic alone (as if the jobs had not persisted it yet). */
  public void kafkaOnly(
      String city,
      String pointId,
      String kind,
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags) {
    AcceptedReading accepted = accepted(city, pointId, kind, time, values, flags);
    send(pointId.getBytes(StandardCharsets.UTF_8), AcceptedReadingJson.encode(accepted));
  }

  /** Readings into InfluxDB in one batch and to the readings topic, all acknowledged on return. */
  public void readings(List<AcceptedReading> readings) {
    BatchPoints.Builder batch = BatchPoints.database(database).retentionPolicy(RAW);
    readings.forEach(
        accepted -> {
          batch.point(point(accepted));
          pendingMark(accepted).ifPresent(batch::point);
        });
    influx.write(batch.build());
    List<Future<?>> sent = new ArrayList<>();
    for (AcceptedReading accepted : readings) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  readingsTopic,
                  accepted.reading().pointId().getBytes(StandardCharsets.UTF_8),
                  AcceptedReadingJson.encode(accepted))));
    }
    for (Future<?> future : sent) {
      await(future);
    }
  }

  /** Readings into InfluxDB alone, in one batch (history the jobs persisted long ago). */
  public void influxOnly(List<AcceptedReading> readings) {
    BatchPoints.Builder batch = BatchPoints.database(database).retentionPolicy(RAW);
    readings.forEach(accepted -> batch.point(point(accepted)));
    influx.write(batch.build());
  }

  /** Any record to the readings topic (e.g. one that does not decode). */
  public void send(byte[] key, byte[] value) {
    await(producer.send(new ProducerRecord<>(readingsTopic, key, value)));
  }

  private void await(Future<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not produce to " + readingsTopic, e);
    }
  }

  /** An accepted reading as the pipeline carries it, flag N unless {@code flags} says otherwise. */
  public static AcceptedReading accepted(
      String city,
      String pointId,
      String kind,
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags) {
    List<Measurement> measurements = new ArrayList<>();
    values.forEach(
        (name, value) ->
            measurements.add(
                new Measurement(
                    Parameter.byCanonicalName(name).orElseThrow(),
                    value,
                    DataFlag.parse(flags.getOrDefault(name, "N")).orElseThrow())));
    return new AcceptedReading(
        new Reading(Reading.idFor(pointId, time), pointId, time, measurements, Source.MQTT),
        city,
        PointKind.valueOf(kind),
        city + "-gw-test",
        0,
        time);
  }

  /** A reading as the stream jobs write it (stream-jobs ReadingPoints). */
  private static Point point(AcceptedReading accepted) {
    Reading reading = accepted.reading();
    Point.Builder point =
        Point.measurement(ReadingStore.READING)
            .time(reading.observedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
            .tag("city", accepted.cityId())
            .tag("point", reading.pointId())
            .tag("kind", accepted.kind().name())
            .addField("reading_id", reading.readingId())
            .addField("source", reading.source().name());
    for (Measurement m : reading.measurements()) {
      point.addField(m.parameter().canonicalName(), m.value());
      point.addField(m.parameter().canonicalName() + "_flag", m.flag().name());
    }
    return point.build();
  }

  /**
   * The mark of a late reading's hour the stream jobs write with it (stream-jobs ReadingPoints:
   * observed more than an hour before it is written), for the API's rollup.
   */
  private static java.util.Optional<Point> pendingMark(AcceptedReading accepted) {
    Instant observed = accepted.reading().observedAt();
    if (!observed.isBefore(Instant.now().minus(java.time.Duration.ofHours(1)))) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        Point.measurement(ReadingStore.PENDING)
            .time(
                observed.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toEpochMilli(),
                TimeUnit.MILLISECONDS)
            .tag("point", accepted.reading().pointId())
            .addField("late", true)
            .build());
  }

  /** Any point into the database's default retention policy (sharing ratios, alerts). */
  public void write(Point point) {
    influx.write(BatchPoints.database(database).point(point).build());
  }

  /** A point of measurement {@code reading} into the policy {@code raw}, as the jobs write it. */
  public void writeReading(Point point) {
    influx.write(BatchPoints.database(database).retentionPolicy(RAW).point(point).build());
  }

  @Override
  public void close() {
    influx.close();
    producer.close();
  }
}
