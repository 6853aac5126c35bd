package io.envmon.gateway.coap;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.RecordError;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.Verdict;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/points/{pointId}/readings} with SenML JSON (110) or CBOR (112). This resource is
 * {@code points}; it answers for every path below it and reads the point id from the URI. In turn:
 * the content-format, the device's identity and right to the point ({@link CoapWriteAccess}: a
 * CoAPs device by its PSK identity, plain CoAP by its source address), the point's registry check,
 * decoding, then the protocol-neutral {@link Intake}; the answer codes are {@link CoapAnswers}'.
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
    // A DTLS peer is known by its PSK identity, the device id of the credentials file; a plain
    // request by its source address, if a device's coap.plain-from names it.
    Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
    Source source = peer == null ? Source.COAP : Source.COAPS;
    String pskIdentity =
        peer == null
            ? null
            : peer instanceof PreSharedKeyIdentity psk ? psk.getIdentity() : peer.getName();
    CoapWriteAccess.Decision access =
        CoapWriteAccess.decide(credentials, pskIdentity, exchange.getSourceAddress(), pointId);
    if (access instanceof CoapWriteAccess.Decision.Unauthenticated no) {
      intake.refuse(pointId, no.refusal());
      exchange.respond(
          CoapAnswers.refused(ResponseCode.UNAUTHORIZED, pointId, List.of(no.refusal())));
      return;
    }
    if (access instanceof CoapWriteAccess.Decision.Forbidden no) {
      intake.refuse(pointId, no.refusal());
      exchange.respond(CoapAnswers.refused(ResponseCode.FORBIDDEN, pointId, List.of(no.refusal())));
      return;
    }
    DeviceCredentials.Device device = ((CoapWriteAccess.Decision.Allowed) access).device();
    Verdict pointCheck = intake.validator().checkPoint(pointId);
    if (pointCheck instanceof Verdict.Refused refused) {
      Refusal refusal = refused.refusals().get(0);
      intake.refuse(pointId, refusal);
      exchange.respond(CoapAnswers.pointRefused(pointId, refusal));
      return;
    }
    SenmlDecodeResult decoded;
    try {
      byte[] payload = exchange.getRequestPayload();
      decoded =
          format == MediaTypeRegistry.APPLICATION_SENML_JSON
              ? decoder.decodeJson(payload, pointId, source)
              : decoder.decodeCbor(payload, pointId, source);
    } catch (DecodeException e) {
      Refusal refusal = Refusal.malformed(e);
      intake.undecodable(source, pointId, refusal, exchange.getRequestPayload());
      exchange.respond(CoapAnswers.refused(ResponseCode.BAD_REQUEST, pointId, List.of(refusal)));
      return;
    }
    // Answered once the readings are durable (group commit), without holding a server thread.
    intake
        .acceptAsync(
            device,
            pointId,
            decoded.readings(),
            decoded.errors().stream().map(RecordError::refusal).toList())
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null) {
                log.error("CoAP: readings for {} not spooled", pointId, failure);
                exchange.respond(
                    CoapAnswers.text(ResponseCode.INTERNAL_SERVER_ERROR, "not spooled; retry"));
              } else {
                exchange.respond(
                    CoapAnswers.outcome(pointId, outcome, intake.limiter().retryAfter(device)));
              }
            });
  }
}
