package io.envmon.jobs;

import static io.envmon.jobs.Readings.reading;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.wire.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * An air point's PM2.5 episode on the contract's topics, for integration tests of the whole jobs:
 * readings produced to {@code envmon.readings.v1}, counted in InfluxDB, and the point's AIR_QUALITY
 * events as a read_committed consumer of {@code envmon.alerts.v1} sees them.
 */
final class AirEpisode {
  private final String kafkaBootstrap;
  private final String cityId;
  private final String pointId;
  private final Instant t0;

  AirEpisode(String kafkaBootstrap, String cityId, String pointId, Instant t0) {
    this.kafkaBootstrap = kafkaBootstrap;
    this.cityId = cityId;
    this.pointId = pointId;
    this.t0 = t0;
  }

  /**
   * A PM2.5 reading observed {@code minutes} after t0 (the value varies a little: never "stuck"),
   * arriving now: the episode is a back-fill of hours past.
   */
  void pm25(int minutes, double value) throws Exception {
    Instant at = t0.plus(Duration.ofMinutes(minutes));
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  KafkaTopics.READINGS,
                  pointId.getBytes(StandardCharsets.UTF_8),
                  AcceptedReadingJson.encode(
                      Readings.arrivedAt(
                          reading(
                              cityId,
                              pointId,
                              PointKind.AIR,
                              at,
                              Measurement.valid(Parameter.PM25, value + minutes % 3)),
                          Instant.now()))))
          .get();
    }
  }

  /** How many of the point's PM2.5 values InfluxDB holds in {@code database}. */
  long readingCount(InfluxDB influx, String database) {
    QueryResult.Result result =
        influx
            .query(
                new Query(
                    "SELECT count(pm25) FROM \"raw\".reading WHERE point = '" + pointId + "'",
                    database))
            .getResults()
            .get(0);
    if (result.hasError() || result.getSeries() == null) {
      return 0;
    }
    return ((Number) result.getSeries().get(0).getValues().get(0).get(1)).longValue();
  }

  /** The point's AIR_QUALITY events, as a read_committed consumer sees them. */
  List<Alert> airAlerts() throws DecodeException {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-episode-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Alert> alerts = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(KafkaTopics.ALERTS));
      int empty = 0;
      while (empty < 3) {
        var records = consumer.poll(Duration.ofMillis(500));
        empty = records.isEmpty() ? empty + 1 : 0;
        for (var record : records) {
          Alert alert = AlertJson.decode(record.value());
          if (alert.pointId().equals(pointId) && alert.type() == AlertType.AIR_QUALITY) {
            alerts.add(alert);
          }
        }
      }
    }
    return alerts;
  }
}
