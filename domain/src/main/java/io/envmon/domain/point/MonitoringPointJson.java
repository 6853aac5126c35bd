package io.envmon.domain.point;

import static io.envmon.domain.JsonFields.enumValue;
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
import io.envmon.domain.water.WaterClass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of a registry record, as the contract names its fields (ARCHITECTURE.md "Monitoring
 * point"): the value of Kafka {@code envmon.points.v1} (compacted, key = point id; a null value is
 * a tombstone) and of the API's point resources.
 *
 * <pre>{@code
 * {"id":"wujiang-water-taipu-01","cityId":"wujiang","kind":"WATER","name":"太浦河吴江段",
 *  "nameEn":"Taipu River, Wujiang","lat":31.0,"lon":120.6,"status":"ACTIVE","sharing":"CLUSTER",
 *  "sharedWith":[],"river":"taipu","important":true,"targetClass":"III","waterBody":"RIVER",
 *  "downstream":["qingpu-water-taipu-01"]}
 * }</pre>
 *
 * NOISE points add {@code "zone":"4a"}. Unknown fields are ignored.
 */
public final class MonitoringPointJson {

  private MonitoringPointJson() {}

  public static byte[] encode(MonitoringPoint point) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("id", point.id());
      json.writeStringField("cityId", point.cityId());
      json.writeStringField("kind", point.kind().name());
      json.writeStringField("name", point.name());
      if (point.nameEn() != null) {
        json.writeStringField("nameEn", point.nameEn());
      }
      json.writeNumberField("lat", point.lat());
      json.writeNumberField("lon", point.lon());
      json.writeStringField("status", point.status().name());
      json.writeStringField("sharing", point.sharing().name());
      writeStrings(json, "sharedWith", point.sharedWith().stream().sorted().toList());
      if (point.water() != null) {
        WaterAttributes water = point.water();
        json.writeStringField("river", water.river());
        json.writeBooleanField("important", water.important());
        json.writeStringField("targetClass", water.targetClass().label());
        json.writeStringField("waterBody", water.waterBody().name());
        writeStrings(json, "downstream", water.downstream());
      }
      if (point.noiseZone() != null) {
        json.writeStringField("zone", point.noiseZone().code());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeStrings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  /**
   * @throws DecodeException naming the field when the payload is not a valid point
   */
  public static MonitoringPoint decode(byte[] payload) throws DecodeException {
    return JsonFields.decodeObject(payload, "point", MonitoringPointJson::read);
  }

  private static MonitoringPoint read(JsonParser parser) throws IOException, DecodeException {
    String id = null;
    String cityId = null;
    PointKind kind = null;
    String name = null;
    String nameEn = null;
    Double lat = null;
    Double lon = null;
    PointStatus status = null;
    SharingScope sharing = null;
    Set<String> sharedWith = Set.of();
    String river = null;
    Boolean important = null;
    WaterClass targetClass = null;
    WaterBody waterBody = null;
    List<String> downstream = List.of();
    NoiseZone zone = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "id" -> id = text(parser, token, field);
        case "cityId" -> cityId = text(parser, token, field);
        case "kind" -> kind = enumValue(PointKind.class, text(parser, token, field), field);
        case "name" -> name = text(parser, token, field);
        case "nameEn" -> nameEn = text(parser, token, field);
        case "lat" -> lat = number(parser, token, field);
        case "lon" -> lon = number(parser, token, field);
        case "status" -> status = enumValue(PointStatus.class, text(parser, token, field), field);
        case "sharing" ->
            sharing = enumValue(SharingScope.class, text(parser, token, field), field);
        case "sharedWith" -> sharedWith = new LinkedHashSet<>(strings(parser, token, field));
        case "river" -> river = text(parser, token, field);
        case "important" -> {
          if (!token.isBoolean()) {
            throw new DecodeException("expected true or false", field);
          }
          important = parser.getBooleanValue();
        }
        case "targetClass" ->
            targetClass =
                WaterClass.parse(text(parser, token, field))
                    .orElseThrow(() -> new DecodeException("expected I, II, III, IV or V", field));
        case "waterBody" ->
            waterBody = enumValue(WaterBody.class, text(parser, token, field), field);
        case "downstream" -> downstream = strings(parser, token, field);
        case "zone" ->
            zone =
                NoiseZone.parse(text(parser, token, field))
                    .orElseThrow(() -> new DecodeException("expected 0, 1, 2, 3, 4a or 4b", field));
        default -> parser.skipChildren();
      }
    }
    WaterAttributes water = null;
    if (kind == PointKind.WATER) {
      water =
          new WaterAttributes(
              required(river, "river"),
              required(important, "important"),
              required(targetClass, "targetClass"),
              waterBody,
              downstream);
    }
    try {
      return new MonitoringPoint(
          required(id, "id"),
          required(cityId, "cityId"),
          required(kind, "kind"),
          required(name, "name"),
          nameEn,
          required(lat, "lat"),
          required(lon, "lon"),
          required(status, "status"),
          required(sharing, "sharing"),
          sharedWith,
          water,
          kind == PointKind.NOISE ? required(zone, "zone") : null);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), "point " + id);
    }
  }
}
