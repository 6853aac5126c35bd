package io.envmon.gateway.coap;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.RecordError;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.domain.validation.Verdict;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.RefusalJson;
import java.nio.charset.StandardCharsets;
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
 * {@code POST /v1/points/{pointId}/readings} with SenML JSON (110) or CBOR (112). This resource is
 * {@code points}; it answers for every path below it and reads the point id from the URI. Codes
 * (docs/gateway.md "Protocols"): 2.04 once spooled; 4.00 with a JSON diagnostic for bad input; 4.01
 * without a device identity (a CoAPs device not in the credentials file, plain CoAP from an address
 * no device's {@code coap.plain-from} names: {@link CoapWriteAccess}); 4.03 for a point of another
 * city or a point the device may not send for; 4.15 for another content-format; 4.29 with Max-Age
 * when the device's rate limit refused every reading; 5.03 with Max-Age when the spool is full.
 */
final class PointReadingsResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(PointReadingsResource.class);

  /** How long a device should wait before retrying when the spool is full. */
  static final int SPOOL_FULL_RETRY_SECONDS = 30;

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
      diagnostic(exchange, ResponseCode.NOT_FOUND, "POST to /v1/points/{pointId}/readings");
      return;
    }
    String pointId = path.get(2);
    int format = exchange.getRequestOptions().getContentFormat();
    if (format != MediaTypeRegistry.APPLICATION_SENML_JSON
        && format != MediaTypeRegistry.APPLICATION_SENML_CBOR) {
      diagnostic(
          exchange,
          ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
          "content-format "
              + (format < 0 ? "missing" : format)
              + "; send 110 (SenML JSON) or 112 (SenML CBOR)");
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
      refuse(exchange, ResponseCode.UNAUTHORIZED, pointId, List.of(no.refusal()));
      return;
    }
    if (access instanceof CoapWriteAccess.Decision.Forbidden no) {
      intake.refuse(pointId, no.refusal());
      refuse(exchange, ResponseCode.FORBIDDEN, pointId, List.of(no.refusal()));
      return;
    }
    DeviceCredentials.Device device = ((CoapWriteAccess.Decision.Allowed) access).device();
    Verdict pointCheck = intake.validator().checkPoint(pointId);
    if (pointCheck instanceof Verdict.Refused refused) {
      Refusal refusal = refused.refusals().get(0);
      intake.refuse(pointId, refusal);
      refuse(
          exchange,
          refusal.reason() == RefusalReason.POINT_OF_OTHER_CITY
              ? ResponseCode.FORBIDDEN
              : ResponseCode.BAD_REQUEST,
          pointId,
          List.of(refusal));
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
      Refusal refusal = new Refusal(RefusalReason.MALFORMED, e.location(), e.reason());
      intake.undecodable(source, pointId, refusal, exchange.getRequestPayload());
      refuse(exchange, ResponseCode.BAD_REQUEST, pointId, List.of(refusal));
      return;
    }
    // Answered once the readings are durable (group commit), without holding a server thread.
    intake
        .acceptAsync(
            device,
            pointId,
            decoded.readings(),
            decoded.errors().stream().map(PointReadingsResource::asRefusal).toList())
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null) {
                log.error("CoAP: readings for {} not spooled", pointId, failure);
                diagnostic(exchange, ResponseCode.INTERNAL_SERVER_ERROR, "not spooled; retry");
              } else {
                answer(exchange, pointId, device, outcome);
              }
            });
  }

  private void answer(
      CoapExchange exchange,
      String pointId,
      DeviceCredentials.Device device,
      Intake.Outcome outcome) {
    if (outcome.spooled().isEmpty() && outcome.throttled()) {
      // RFC 8516: 4.29 with Max-Age = when the device may send again.
      Response response = new Response(ResponseCode.TOO_MANY_REQUESTS);
      response.getOptions().setMaxAge(intake.limiter().retryAfter(device).toSeconds());
      response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
      response.setPayload(RefusalJson.encode(pointId, 0, outcome.refusals()));
      exchange.respond(response);
      return;
    }
    if (outcome.spoolFull()) {
      Response response = new Response(ResponseCode.SERVICE_UNAVAILABLE);
      response.getOptions().setMaxAge(SPOOL_FULL_RETRY_SECONDS);
      response.setPayload("spool full; retry after Max-Age seconds");
      exchange.respond(response);
      return;
    }
    if (outcome.spooled().isEmpty()) {
      refuse(exchange, ResponseCode.BAD_REQUEST, pointId, outcome.refusals());
      return;
    }
    if (outcome.refusals().isEmpty()) {
      exchange.respond(ResponseCode.CHANGED);
    } else {
      // Some records were kept: 2.04, and the payload says which were not.
      exchange.respond(
          ResponseCode.CHANGED,
          RefusalJson.encode(pointId, outcome.spooled().size(), outcome.refusals()),
          MediaTypeRegistry.APPLICATION_JSON);
    }
  }

  private static Refusal asRefusal(RecordError error) {
    return new Refusal(
        RefusalReason.MALFORMED, "record " + error.index() + " " + error.field(), error.reason());
  }

  private static void refuse(
      CoapExchange exchange, ResponseCode code, String pointId, List<Refusal> refusals) {
    exchange.respond(
        code, RefusalJson.encode(pointId, 0, refusals), MediaTypeRegistry.APPLICATION_JSON);
  }

  private static void diagnostic(CoapExchange exchange, ResponseCode code, String text) {
    exchange.respond(code, text.getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.TEXT_PLAIN);
  }
}
