package io.envmon.domain.reading;

import static io.envmon.domain.JsonFields.enumValue;
import static io.envmon.domain.JsonFields.instant;
import static io.envmon.domain.JsonFields.required;
import static io.envmon.domain.JsonFields.text;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.envmon.domain.DecodeException;
import io.envmon.domain.JsonFields;
import io.envmon.domain.point.PointKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of {@link AcceptedReading} on Kafka {@code envmon.readings.v1}:
 *
 * <pre>{@code
 * {"readingId":"…","pointId":"wujiang-air-01","cityId":"wujiang","kind":"AIR",
 *  "observedAt":"2025-11-21T00:00:00Z","receivedAt":"2025-11-21T00:00:01.250Z","source":"MQTT",
 *  "gatewayId":"wujiang-gw-1","gatewaySeq":42,
 *  "values":{"pm25":{"v":35.2,"flag":"N"},"pm10":{"v":80.0,"flag":"N"}}}
 * }</pre>
 *
 * <p>A back-filled reading (HJ 212-2025 {@code RF=1}) also carries {@code "backfilled":true}; the
 * field is absent otherwise.
 *
 * <p>Unknown fields are ignored so that a newer gateway can add fields without breaking older jobs.
 */
public final class AcceptedReadingJson {

  private AcceptedReadingJson() {}

  public static byte[] encode(AcceptedReading accepted) {
    Reading reading = accepted.reading();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("readingId", reading.readingId());
      json.writeStringField("pointId", reading.pointId());
      json.writeStringField("cityId", accepted.cityId());
      json.writeStringField("kind", accepted.kind().name());
      json.writeStringField("observedAt", JsonFields.isoInstant(reading.observedAt()));
      json.writeStringField("receivedAt", JsonFields.isoInstant(accepted.receivedAt()));
      json.writeStringField("source", reading.source().name());
      json.writeStringField("gatewayId", accepted.gatewayId());
      json.writeNumberField("gatewaySeq", accepted.gatewaySequence());
      if (reading.backfilled()) {
        json.writeBooleanField("backfilled", true);
      }
      json.writeObjectFieldStart("values");
      for (Measurement m : reading.measurements()) {
        json.writeObjectFieldStart(m.parameter().canonicalName());
        json.writeNumberField("v", m.value());
        json.writeStringField("flag", m.flag().name());
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * @throws DecodeException naming the field when the payload is not an accepted reading
   */
  public static AcceptedReading decode(byte[] payload) throws DecodeException {
    return JsonFields.decodeObject(payload, "accepted reading", AcceptedReadingJson::read);
  }

  /**
   * The {@code pointId} of an encoded accepted reading, read without decoding the rest (it is the
   * second field {@link #encode} writes, so this stops early).
   *
   * @throws DecodeException when the payload is not a JSON object with a top-level pointId
   */
  public static String pointIdOf(byte[] payload) throws DecodeException {
    try (JsonParser parser = JsonFields.FACTORY.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("expected a JSON object", "accepted reading");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("pointId")) {
          return text(parser, value, field);
        }
        parser.skipChildren();
      }
      throw new DecodeException("missing", "pointId");
    } catch (IOException e) {
      throw new DecodeException("not JSON: " + e.getMessage(), "accepted reading");
    }
  }

  private static AcceptedReading read(JsonParser parser) throws IOException, DecodeException {
    String readingId = null;
    String pointId = null;
    String cityId = null;
    PointKind kind = null;
    Instant observedAt = null;
    Instant receivedAt = null;
    Source source = null;
    String gatewayId = null;
    Long gatewaySeq = null;
    List<Measurement> measurements = null;
    boolean backfilled = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "readingId" -> readingId = text(parser, value, field);
        case "pointId" -> pointId = text(parser, value, field);
        case "cityId" -> cityId = text(parser, value, field);
        case "kind" -> kind = enumValue(PointKind.class, text(parser, value, field), field);
        case "observedAt" -> observedAt = instant(text(parser, value, field), field);
        case "receivedAt" -> receivedAt = instant(text(parser, value, field), field);
        case "source" -> source = enumValue(Source.class, text(parser, value, field), field);
        case "gatewayId" -> gatewayId = text(parser, value, field);
        case "gatewaySeq" -> {
          if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new DecodeException("expected an integer", "gatewaySeq");
          }
          gatewaySeq = parser.getLongValue();
        }
        case "values" -> measurements = values(parser, value);
        case "backfilled" -> {
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw new DecodeException("expected true or false", "backfilled");
          }
          backfilled = value == JsonToken.VALUE_TRUE;
        }
        default -> parser.skipChildren();
      }
    }
    return new AcceptedReading(
        new Reading(
            required(readingId, "readingId"),
            required(pointId, "pointId"),
            required(observedAt, "observedAt"),
            required(measurements, "values"),
            required(source, "source"),
            backfilled),
        required(cityId, "cityId"),
        required(kind, "kind"),
        required(gatewayId, "gatewayId"),
        required(gatewaySeq, "gatewaySeq"),
        required(receivedAt, "receivedAt"));
  }

  private static List<Measurement> values(JsonParser parser, JsonToken start)
      throws IOException, DecodeException {
    if (start != JsonToken.START_OBJECT) {
      throw new DecodeException("expected an object of parameters", "values");
    }
    List<Measurement> measurements = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      String location = "values." + name;
      Parameter parameter =
          Parameter.byCanonicalName(name)
              .orElseThrow(() -> new DecodeException("unknown parameter", location));
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("expected an object with v and flag", location);
      }
      Double number = null;
      DataFlag flag = DataFlag.N;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "v" -> {
            if (!token.isNumeric()) {
              throw new DecodeException("expected a number", location + ".v");
            }
            number = parser.getDoubleValue();
          }
          case "flag" -> {
            String code = text(parser, token, location + ".flag");
            flag =
                DataFlag.parse(code)
                    .orElseThrow(
                        () -> new DecodeException("unknown data flag", location + ".flag"));
          }
          default -> parser.skipChildren();
        }
      }
      measurements.add(new Measurement(parameter, required(number, location + ".v"), flag));
    }
    return measurements;
  }
}
