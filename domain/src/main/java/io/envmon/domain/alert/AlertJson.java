package io.envmon.domain.alert;

import static io.envmon.domain.JsonFields.enumValue;
import static io.envmon.domain.JsonFields.instant;
import static io.envmon.domain.JsonFields.number;
import static io.envmon.domain.JsonFields.required;
import static io.envmon.domain.JsonFields.strings;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@link Alert} on Kafka {@code envmon.alerts.v1} (docs/alerts.md):
 *
 * <pre>{@code
 * {"alertId":"…","type":"JOINT","state":"RAISED","severity":"MAJOR","pointId":"kunshan-w-02",
 *  "cityId":"kunshan","kind":"WATER","values":{"nh3n":2.4},"threshold":1.0,
 *  "message":"…","messageZh":"…","startedAt":"2025-11-21T00:00:00Z",
 *  "updatedAt":"2025-11-21T00:00:00Z","originPointId":"wujiang-w-01","originCityId":"wujiang",
 *  "path":["wujiang-w-01","kunshan-w-02"],"detectedAt":"2025-11-21T00:00:41Z"}
 * }</pre>
 *
 * Absent optional fields (threshold, messageZh, the origin and path of a non-JOINT alert,
 * detectedAt) are left out, and {@code delayed} is written only when true. Unknown fields are
 * ignored.
 */
public final class AlertJson {

  private AlertJson() {}

  public static byte[] encode(Alert alert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("alertId", alert.alertId());
      json.writeStringField("type", alert.type().name());
      json.writeStringField("state", alert.state().name());
      json.writeStringField("severity", alert.severity().name());
      json.writeStringField("pointId", alert.pointId());
      json.writeStringField("cityId", alert.cityId());
      json.writeStringField("kind", alert.kind().name());
      json.writeObjectFieldStart("values");
      for (Map.Entry<String, Double> value : alert.values().entrySet()) {
        json.writeNumberField(value.getKey(), value.getValue());
      }
      json.writeEndObject();
      if (alert.threshold() != null) {
        json.writeNumberField("threshold", alert.threshold());
      }
      json.writeStringField("message", alert.message());
      if (alert.messageZh() != null) {
        json.writeStringField("messageZh", alert.messageZh());
      }
      json.writeStringField("startedAt", JsonFields.isoInstant(alert.startedAt()));
      json.writeStringField("updatedAt", JsonFields.isoInstant(alert.updatedAt()));
      if (alert.originPointId() != null) {
        json.writeStringField("originPointId", alert.originPointId());
      }
      if (alert.originCityId() != null) {
        json.writeStringField("originCityId", alert.originCityId());
      }
      if (alert.path() != null) {
        json.writeArrayFieldStart("path");
        for (String hop : alert.path()) {
          json.writeString(hop);
        }
        json.writeEndArray();
      }
      if (alert.detectedAt() != null) {
        json.writeStringField("detectedAt", JsonFields.isoInstant(alert.detectedAt()));
      }
      if (alert.delayed()) {
        json.writeBooleanField("delayed", true);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * @throws DecodeException naming the field when the payload is not an alert
   */
  public static Alert decode(byte[] payload) throws DecodeException {
    return JsonFields.decodeObject(payload, "alert", AlertJson::read);
  }

  private static Alert read(JsonParser parser) throws IOException, DecodeException {
    String alertId = null;
    AlertType type = null;
    AlertState state = null;
    AlertSeverity severity = null;
    String pointId = null;
    String cityId = null;
    PointKind kind = null;
    Map<String, Double> values = new LinkedHashMap<>();
    Double threshold = null;
    String message = null;
    String messageZh = null;
    Instant startedAt = null;
    Instant updatedAt = null;
    String originPointId = null;
    String originCityId = null;
    List<String> path = null;
    Instant detectedAt = null;
    boolean delayed = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (field) {
        case "alertId" -> alertId = text(parser, token, field);
        case "type" -> type = enumValue(AlertType.class, text(parser, token, field), field);
        case "state" -> state = enumValue(AlertState.class, text(parser, token, field), field);
        case "severity" ->
            severity = enumValue(AlertSeverity.class, text(parser, token, field), field);
        case "pointId" -> pointId = text(parser, token, field);
        case "cityId" -> cityId = text(parser, token, field);
        case "kind" -> kind = enumValue(PointKind.class, text(parser, token, field), field);
        case "values" -> values = values(parser, token);
        case "threshold" -> threshold = number(parser, token, field);
        case "message" -> message = text(parser, token, field);
        case "messageZh" -> messageZh = text(parser, token, field);
        case "startedAt" -> startedAt = instant(text(parser, token, field), field);
        case "updatedAt" -> updatedAt = instant(text(parser, token, field), field);
        case "originPointId" -> originPointId = text(parser, token, field);
        case "originCityId" -> originCityId = text(parser, token, field);
        case "path" -> path = strings(parser, token, "path");
        case "detectedAt" -> detectedAt = instant(text(parser, token, field), field);
        case "delayed" -> delayed = bool(token, field);
        default -> parser.skipChildren();
      }
    }
    try {
      return new Alert(
          required(alertId, "alertId"),
          required(type, "type"),
          required(state, "state"),
          required(severity, "severity"),
          required(pointId, "pointId"),
          required(cityId, "cityId"),
          required(kind, "kind"),
          values,
          threshold,
          required(message, "message"),
          messageZh,
          required(startedAt, "startedAt"),
          required(updatedAt, "updatedAt"),
          originPointId,
          originCityId,
          path,
          detectedAt,
          delayed);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), "originPointId");
    }
  }

  private static boolean bool(JsonToken token, String field) throws DecodeException {
    return switch (token) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> throw new DecodeException("expected true or false", field);
    };
  }

  private static Map<String, Double> values(JsonParser parser, JsonToken start)
      throws IOException, DecodeException {
    if (start != JsonToken.START_OBJECT) {
      throw new DecodeException("expected an object of numbers", "values");
    }
    Map<String, Double> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      values.put(name, number(parser, parser.nextToken(), "values." + name));
    }
    return values;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field)
      throws DecodeException {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    throw new DecodeException("unknown " + type.getSimpleName(), field);
  }
}
