package io.envmon.domain.review;

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
import io.envmon.domain.reading.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A review mark as Kafka {@code envmon.review-marks.v1} carries it (key = point id), what the jobs
 * need to apply it: who made it and the note stay in the API's audit.
 *
 * <pre>{@code
 * {"id":42,"pointId":"wujiang-air-01","from":"2026-12-03T00:00:00Z","to":"2026-12-03T02:00:00Z",
 *  "parameter":"pm25","verdict":"INVALID","reason":"CALIBRATION","createdAt":"2026-12-03T03:10:00Z"}
 * }</pre>
 *
 * {@code parameter} is absent when the mark covers every value of the readings. Unknown fields are
 * ignored.
 */
public final class ReviewMarkJson {

  private ReviewMarkJson() {}

  public static byte[] encode(ReviewMark mark) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField("id", mark.id());
      json.writeStringField("pointId", mark.pointId());
      json.writeStringField("from", mark.from().toString());
      json.writeStringField("to", mark.to().toString());
      if (mark.parameter() != null) {
        json.writeStringField("parameter", mark.parameter().canonicalName());
      }
      json.writeStringField("verdict", mark.verdict().name());
      json.writeStringField("reason", mark.reason().name());
      json.writeStringField("createdAt", mark.createdAt().toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /**
   * @throws DecodeException naming the field when the payload is not a review mark
   */
  public static ReviewMark decode(byte[] payload) throws DecodeException {
    return JsonFields.decodeObject(payload, "review mark", ReviewMarkJson::read);
  }

  private static ReviewMark read(JsonParser parser) throws IOException, DecodeException {
    Long id = null;
    String pointId = null;
    Instant from = null;
    Instant to = null;
    Parameter parameter = null;
    Verdict verdict = null;
    ReviewReason reason = null;
    Instant createdAt = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "id" -> {
          if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new DecodeException("expected an integer", field);
          }
          id = parser.getLongValue();
        }
        case "pointId" -> pointId = text(parser, token, field);
        case "from" -> from = instant(text(parser, token, field), field);
        case "to" -> to = instant(text(parser, token, field), field);
        case "parameter" -> {
          String name = text(parser, token, field);
          parameter =
              Parameter.byCanonicalName(name)
                  .orElseThrow(
                      () -> new DecodeException("unknown parameter '" + name + "'", field));
        }
        case "verdict" -> verdict = enumValue(Verdict.class, text(parser, token, field), field);
        case "reason" -> reason = enumValue(ReviewReason.class, text(parser, token, field), field);
        case "createdAt" -> createdAt = instant(text(parser, token, field), field);
        default -> parser.skipChildren();
      }
    }
    Instant start = required(from, "from");
    Instant end = required(to, "to");
    if (!start.isBefore(end)) {
      throw new DecodeException("from " + start + " must be before to " + end, "to");
    }
    return new ReviewMark(
        required(id, "id"),
        required(pointId, "pointId"),
        start,
        end,
        parameter,
        required(verdict, "verdict"),
        required(reason, "reason"),
        null,
        required(createdAt, "createdAt"),
        null);
  }
}
