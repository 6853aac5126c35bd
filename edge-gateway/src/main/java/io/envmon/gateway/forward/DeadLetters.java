package io.envmon.gateway.forward;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.envmon.domain.reading.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what could not be decoded to Kafka {@code envmon.deadletter.v1}, keyed by point id (or the
 * peer address when no point is known), with the reason and the raw payload in base64. Best effort:
 * not spooled — the device got its refusal already, this is for the operators.
 *
 * <pre>{@code
 * {"gatewayId":"wujiang-gw-1","cityId":"wujiang","source":"MQTT","pointId":"wujiang-air-01",
 *  "reason":"…","location":"…","receivedAt":"2026-11-21T08:00:00Z","payloadBase64":"…"}
 * }</pre>
 */
public final class DeadLetters implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final String gatewayId;
  private final String cityId;
  private final Clock clock;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();

  public DeadLetters(
      Producer<String, byte[]> producer,
      String topic,
      String gatewayId,
      String cityId,
      Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.gatewayId = gatewayId;
    this.cityId = cityId;
    this.clock = clock;
  }

  public static Producer<String, byte[]> producer(String bootstrap, String gatewayId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.CLIENT_ID_CONFIG,
            "envmon-gateway-deadletter-" + gatewayId,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            1_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  /** Records an undecodable payload; never blocks the protocol thread for long. */
  public void send(Source source, String key, String reason, String location, byte[] payload) {
    byte[] value = encode(source, key, reason, location, payload);
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, error) -> {
            if (error == null) {
              sent.increment();
            } else {
              failed.increment();
              log.debug("dead letter not delivered: {}", error.toString());
            }
          });
    } catch (RuntimeException e) {
      failed.increment();
      log.debug("dead letter not sent: {}", e.toString());
    }
  }

  private byte[] encode(Source source, String key, String reason, String location, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("gatewayId", gatewayId);
      json.writeStringField("cityId", cityId);
      json.writeStringField("source", source.name());
      json.writeStringField("pointId", key);
      json.writeStringField("reason", reason);
      json.writeStringField("location", location);
      json.writeStringField("receivedAt", clock.instant().toString());
      byte[] kept =
          payload.length > MAX_PAYLOAD_BYTES
              ? java.util.Arrays.copyOf(payload, MAX_PAYLOAD_BYTES)
              : payload;
      json.writeStringField("payloadBase64", Base64.getEncoder().encodeToString(kept));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public long sent() {
    return sent.sum();
  }

  public long failed() {
    return failed.sum();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
