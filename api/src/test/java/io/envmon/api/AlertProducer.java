package io.envmon.api;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces alerts to the test server's {@code envmon.alerts.v1} topic, as the Flink job would. */
public final class AlertProducer implements AutoCloseable {

  private final ApiTestServer api;
  private final KafkaProducer<String, byte[]> producer;

  public AlertProducer(ApiTestServer api) {
    this.api = api;
    Properties properties = new Properties();
    properties.put("bootstrap.servers", api.infrastructure.kafkaBootstrap());
    properties.put("acks", "all");
    producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }

  /** A new RAISED alert of a point, with a fresh id. */
  public static Alert alert(AlertType type, String pointId, String cityId, PointKind kind) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Alert(
        UUID.randomUUID().toString(),
        type,
        AlertState.RAISED,
        AlertSeverity.WARNING,
        pointId,
        cityId,
        kind,
        Map.of("value", 1.0),
        null,
        type + " at " + pointId,
        null,
        at,
        at,
        null,
        null,
        null);
  }

  /** A JOINT alert received by {@code cityId} at {@code pointId} from an upstream origin. */
  public static Alert joint(
      String pointId, String cityId, String originPointId, String originCityId) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new Alert(
        UUID.randomUUID().toString(),
        AlertType.JOINT,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        pointId,
        cityId,
        PointKind.WATER,
        Map.of("nh3n", 1.8),
        1.0,
        "WATER_CLASS in " + originCityId + " at " + originPointId,
        null,
        at,
        at,
        originPointId,
        originCityId,
        List.of(originPointId, pointId));
  }

  public void produce(Alert alert) throws Exception {
    producer
        .send(new ProducerRecord<>(api.alertsTopic, alert.alertId(), AlertJson.encode(alert)))
        .get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    producer.close();
  }
}
