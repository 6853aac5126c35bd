package io.envmon.gateway.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.envmon.domain.validation.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON answer to a device whose message had refused parts (MQTT {@code .../rejected}, CoAP 4.00
 * diagnostic payload):
 *
 * <pre>{@code
 * {"pointId":"wujiang-air-01","accepted":1,"refused":[{"reason":"impossible_value",
 *  "location":"pm25","detail":"value -3.0 ug/m3 is outside 0 or more"}]}
 * }</pre>
 */
public final class RefusalJson {

  private static final JsonFactory JSON = new JsonFactory();

  private RefusalJson() {}

  /**
   * @param acceptedReadings how many readings of the message were spooled despite the refusals
   */
  public static byte[] encode(String pointId, int acceptedReadings, List<Refusal> refusals) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("pointId", pointId);
      json.writeNumberField("accepted", acceptedReadings);
      json.writeArrayFieldStart("refused");
      for (Refusal refusal : refusals) {
        json.writeStartObject();
        json.writeStringField("reason", refusal.reason().code());
        json.writeStringField("location", refusal.location());
        json.writeStringField("detail", refusal.detail());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
