package io.envmon.jobs;

import static io.envmon.jobs.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.alert.AlertJob;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ingest.KafkaEndpoints;
import io.envmon.jobs.ingest.PointUpdate;
import io.envmon.jobs.ingest.ReadingIngest;
import io.envmon.jobs.ingest.RegistryCatchUp;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * On a fresh start the registry ({@code envmon.points.v1}) is read up to its end before readings
 * are judged against it, even when the registry side of the job is slower than the readings side:
 * the section's readings are kept until the registry has caught up, then raise WATER_CLASS.
 */
@WithRealInfrastructure
class RegistryBeforeReadingsIT {

  private static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");

  /** Set when the first reading has passed into the alert functions' network input. */
  static volatile boolean readingSeen;

  /** Marks that readings are flowing (the MiniCluster runs in this JVM). */
  static final class SeenReadings implements MapFunction<AcceptedReading, AcceptedReading> {
    @Override
    public AcceptedReading map(AcceptedReading reading) {
      readingSeen = true;
      return reading;
    }
  }

  /**
   * The registry side of the job made slow: its first record passes only after readings are
   * flowing, plus {@code delayMillis} (simulates a slow broadcast side; not a wait of the test).
   */
  static final class SlowRegistry implements MapFunction<PointUpdate, PointUpdate> {
    private final long delayMillis;

    SlowRegistry(long delayMillis) {
      this.delayMillis = delayMillis;
    }

    @Override
    public PointUpdate map(PointUpdate update) throws Exception {
      while (!readingSeen) {
        Thread.sleep(20);
      }
      Thread.sleep(delayMillis);
      return update;
    }
  }

  @Test
  void readingsOfASectionPublishedAfterItsRegistryRecordAreJudgedWhenTheRegistrySideIsSlow(
      Infrastructure infra) throws Exception {
    readingSeen = false;
    String suffix = UUID.randomUUID().toString().replace("-", "");
    String readings = "it-rb-readings-" + suffix;
    String points = "it-rb-points-" + suffix;
    String alerts = "it-rb-alerts-" + suffix;
    try (AdminClient admin =
        AdminClient.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(readings, 1, (short) 1),
                  new NewTopic(points, 1, (short) 1),
                  new NewTopic(alerts, 1, (short) 1)))
          .all()
          .get();
    }
    MonitoringPoint section = Points.section("wujiang", "wujiang-w-01");
    MonitoringPoint other = Points.air("kunshan", "kunshan-air-01");
    produce(infra, points, section.id(), MonitoringPointJson.encode(section));
    produce(infra, points, other.id(), MonitoringPointJson.encode(other));
    for (int hour = 0; hour < 3; hour++) {
      AcceptedReading nh3n =
          reading(
              "wujiang",
              section.id(),
              PointKind.WATER,
              T0.plus(Duration.ofHours(hour)),
              Measurement.valid(Parameter.NH3N, 1.8)); // class V against target III
      produce(infra, readings, section.id(), AcceptedReadingJson.encode(nh3n));
    }

    KafkaEndpoints kafka =
        new KafkaEndpoints(
            infra.kafkaBootstrap(), "it-rb-" + suffix, true, DeliveryGuarantee.AT_LEAST_ONCE);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<AcceptedReading> decoded =
        ReadingIngest.readings(
            env,
            kafka.readings(readings),
            kafka.sink(alerts + "-dl", "it-rb-dl-" + suffix, StreamJobsMain.deadLetterRecord()),
            ArrivalClock.defaults());
    DataStream<PointUpdate> registry =
        ReadingIngest.points(
                env,
                kafka.points(points),
                RegistryCatchUp.fromKafka(infra.kafkaBootstrap(), points, Duration.ofMinutes(2)))
            .map(new SlowRegistry(2_000))
            .returns(TypeInformation.of(PointUpdate.class));
    new AlertJob(
            AlertSettings.defaults(List.of("wujiang", "kunshan")),
            kafka.sink(alerts, "it-rb-alerts-" + suffix, StreamJobsMain.alertRecord()),
            null)
        .attach(
            decoded.map(new SeenReadings()).returns(TypeInformation.of(AcceptedReading.class)),
            registry);
    env.execute("it-registry-before-readings");

    List<Alert> published = consume(infra, alerts);
    assertThat(published)
        .filteredOn(a -> a.type() == AlertType.WATER_CLASS)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pointId()).isEqualTo(section.id());
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.startedAt()).isEqualTo(T0);
            });
  }

  private static void produce(Infrastructure infra, String topic, String key, byte[] value)
      throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
  }

  private static List<Alert> consume(Infrastructure infra, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-rb-reader-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<Alert> alerts = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                  try {
                    alerts.add(AlertJson.decode(record.value()));
                  } catch (DecodeException e) {
                    throw new AssertionError(e);
                  }
                }
                return alerts.stream().anyMatch(a -> a.type() == AlertType.WATER_CLASS);
              });
      // The job has finished: drain what else is there.
      int polled;
      do {
        polled = 0;
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          polled++;
          try {
            alerts.add(AlertJson.decode(record.value()));
          } catch (DecodeException e) {
            throw new AssertionError(e);
          }
        }
      } while (polled > 0);
    }
    return alerts;
  }
}
