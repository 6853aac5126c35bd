package io.envmon.jobs.ingest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * A record that could not be decoded, for Kafka {@code envmon.deadletter.v1}:
 * {"topic","partition","offset","reason","payloadBase64"}.
 */
public record DeadLetter(String topic, int partition, long offset, String reason, byte[] payload) {

  private static final JsonFactory FACTORY = new JsonFactory();

  public static DeadLetter of(RawRecord record, String reason) {
    return new DeadLetter(
        record.topic(), record.partition(), record.offset(), reason, record.value());
  }

  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("topic", topic);
      json.writeNumberField("partition", partition);
      json.writeNumberField("offset", offset);
      json.writeStringField("reason", reason);
      json.writeStringField(
          "payloadBase64", payload == null ? "" : Base64.getEncoder().encodeToString(payload));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }
}
