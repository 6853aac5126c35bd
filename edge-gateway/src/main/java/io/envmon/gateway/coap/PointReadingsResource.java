package io.envmon.gateway.coap;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/points/{pointId}/readings} with SenML JSON (110) or CBOR (112): only translates
 * CoAP to the protocol-neutral {@link Intake} and back. Identity is {@link CoapWriteAccess}'s, the
 * answer codes {@link CoapAnswers}'.
 */
final class PointReadingsResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(PointReadingsResource.class);

  private final Intake intake;
  private final SenmlReadingDecoder decoder;
  private final DeviceCredentials credentials;

  PointReadingsResource(Intake intake, Clock clock, DeviceCredentials credentials) {
    super("points");
    this.intake = intake;
    this.decoder = new SenmlReadingDecoder(clock);
    this.credentials = credentials;
  }

  @Override
  public Resource getChild(String name) {
    return this; // every /v1/points/{pointId}/readings lands here
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    List<String> path = exchange.getRequestOptions().getUriPath();
    if (path.size() != 4 || !path.get(3).equals("readings")) {
      exchange.respond(
          CoapAnswers.text(ResponseCode.NOT_FOUND, "POST to /v1/points/{pointId}/readings"));
      return;
    }
    String pointId = path.get(2);

    int format = exchange.getRequestOptions().getContentFormat();
    if (format != MediaTypeRegistry.APPLICATION_SENML_JSON
        && format != MediaTypeRegistry.APPLICATION_SENML_CBOR) {
      exchange.respond(CoapAnswers.unsupportedFormat(format));
      return;
    }

    Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
    CoapWriteAccess.Decision access =
        CoapWriteAccess.decide(
            credentials, pskIdentity(peer), exchange.getSourceAddress(), pointId);
    if (access instanceof CoapWriteAccess.Decision.Denied denied) {
      intake.refuse(pointId, denied.refusal());
      exchange.respond(CoapAnswers.denied(pointId, denied));
      return;
    }
    DeviceCredentials.Device device = ((CoapWriteAccess.Decision.Allowed) access).device();

    Source source = peer == null ? Source.COAP : Source.COAPS;
    Intake.Payload payload =
        Intake.Payload.decode(
            exchange.getRequestPayload(),
            bytes -> Intake.Payload.senml(decode(format, bytes, pointId, source)));

    // Answered once the readings are durable (group commit), without holding a server thread.
    intake
        .receiveAsync(device, pointId, source, payload)
        .thenAccept(result -> exchange.respond(answer(pointId, device, result)));
  }

  /**
   * A DTLS peer is known by its PSK identity, the device id of the credentials file; null for plain
   * CoAP, whose device {@link CoapWriteAccess} finds by the source address.
   */
  private static String pskIdentity(Principal peer) {
    if (peer == null) {
      return null;
    }
    return peer instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : peer.getName();
  }

  private SenmlDecodeResult decode(int format, byte[] bytes, String pointId, Source source)
      throws DecodeException {
    return format == MediaTypeRegistry.APPLICATION_SENML_JSON
        ? decoder.decodeJson(bytes, pointId, source)
        : decoder.decodeCbor(bytes, pointId, source);
  }

  private Response answer(String pointId, DeviceCredentials.Device device, Intake.Result result) {
    if (result instanceof Intake.Result.NotSpooled failed) {
      log.error("CoAP: readings for {} not spooled", pointId, failed.failure());
    }
    return CoapAnswers.result(pointId, result, () -> intake.limiter().retryAfter(device));
  }
}
