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
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.water.WaterClass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of a registry record, as the contract names its fields (docs/standards.md §1
 * "Monitoring point"): the value of Kafka {@code envmon.points.v1} (compacted, key = point id; a
 * null value is a tombstone) and of the API's point resources.
 *
 * <pre>{@code
 * {"id":"wujiang-water-taipu-01","cityId":"wujiang","kind":"WATER","name":"太浦河吴江段",
 *  "nameEn":"Taipu River, Wujiang","lat":31.0,"lon":120.6,"status":"ACTIVE","sharing":"CLUSTER",
 *  "sharedWith":[],"river":"taipu","important":true,"targetClass":"III","waterBody":"RIVER",
 *  "downstream":["qingpu-water-taipu-01"]}
 * }</pre>
 *
 * NOISE points add {@code "zone":"4a"}. On the Kafka topic the record also carries its city's time
 * facts ({@link CityTime}): {@code "city":{"timeZone":"Asia/Shanghai","nightStart":"22:00",
 * "nightEnd":"06:00"}}. Unknown fields are ignored.
 */
public final class MonitoringPointJson {

  private MonitoringPointJson() {}

  /** The point as the API's point resources show it. */
  public static byte[] encode(MonitoringPoint point) {
    return encode(point, null);
  }

  /**
   * The point as {@code envmon.points.v1} carries it: with its city's time facts when {@code city}
   * is not null.
   */
  public static byte[] encode(MonitoringPoint point, CityTime city) {
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
      if (city != null) {
        json.writeObjectFieldStart("city");
        json.writeStringField("timeZone", city.zone().getId());
        json.writeStringField("nightStart", city.night().startText());
        json.writeStringField("nightEnd", city.night().endText());
        json.writeEndObject();
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
    return decodeRecord(payload).point();
  }

  /**
   * A record of {@code envmon.points.v1}: the point and, when the record carries it, its city's.
   */
  public record Registered(MonitoringPoint point, CityTime city) {}

  /**
   * @throws DecodeException naming the field when the payload is not a valid point or its city's
   *     time facts are wrong
   */
  public static Registered decodeRecord(byte[] payload) throws DecodeException {
    return JsonFields.decodeObject(payload, "point", MonitoringPointJson::read);
  }

  private static Registered read(JsonParser parser) throws IOException, DecodeException {
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
    CityTime city = null;
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
        case "city" -> city = readCity(parser, token);
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
      MonitoringPoint point =
          new MonitoringPoint(
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
      return new Registered(point, city);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), "point " + id);
    }
  }

  private static CityTime readCity(JsonParser parser, JsonToken token)
      throws IOException, DecodeException {
    if (token != JsonToken.START_OBJECT) {
      throw new DecodeException("expected an object", "city");
    }
    String timeZone = null;
    String nightStart = null;
    String nightEnd = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = "city." + parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "city.timeZone" -> timeZone = text(parser, value, field);
        case "city.nightStart" -> nightStart = text(parser, value, field);
        case "city.nightEnd" -> nightEnd = text(parser, value, field);
        default -> parser.skipChildren();
      }
    }
    try {
      return new CityTime(
          ZoneId.of(required(timeZone, "city.timeZone")),
          NightWindow.of(
              required(nightStart, "city.nightStart"), required(nightEnd, "city.nightEnd")));
    } catch (DateTimeException | IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), "city");
    }
  }
}
