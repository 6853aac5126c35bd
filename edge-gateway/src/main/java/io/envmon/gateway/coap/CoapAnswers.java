package io.envmon.gateway.coap;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.RefusalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;

/**
 * The CoAP answer to each result of the protocol-neutral intake and of the identity check
 * (docs/gateway.md "Protocols"), kept apart from the resource so the mapping is tested without a
 * network: 2.04 once spooled (with a JSON payload naming the records not kept, if any); 4.00 with a
 * JSON diagnostic for bad input; 4.01 / 4.03 for an unknown device or a point it may not send for;
 * 4.15 for another content-format; 4.29 with Max-Age when the device's rate limit refused every
 * reading; 5.03 with Max-Age when the spool is full; 5.00 when the disk failed.
 */
final class CoapAnswers {

  /** How long a device should wait before retrying when the spool is full. */
  static final int SPOOL_FULL_RETRY_SECONDS = 30;

  private CoapAnswers() {}

  /** The answer to what the intake made of a request; {@code retryAfter}: the device's. */
  static Response result(String pointId, Intake.Result result, Supplier<Duration> retryAfter) {
    if (result instanceof Intake.Result.Validated validated) {
      return outcome(pointId, validated.outcome(), retryAfter.get());
    }
    if (result instanceof Intake.Result.PointRefused refused) {
      return pointRefused(pointId, refused.refusal());
    }
    if (result instanceof Intake.Result.Undecodable undecodable) {
      return refused(ResponseCode.BAD_REQUEST, pointId, List.of(undecodable.refusal()));
    }
    return text(ResponseCode.INTERNAL_SERVER_ERROR, "not spooled; retry");
  }

  /** 4.01 for a request without a device identity, 4.03 for a device that may not write. */
  static Response denied(String pointId, CoapWriteAccess.Decision.Denied denial) {
    return refused(
        denial instanceof CoapWriteAccess.Decision.Unauthenticated
            ? ResponseCode.UNAUTHORIZED
            : ResponseCode.FORBIDDEN,
        pointId,
        List.of(denial.refusal()));
  }

  /** The answer once the intake has spooled what it kept; {@code retryAfter} of the device. */
  static Response outcome(String pointId, Intake.Outcome outcome, Duration retryAfter) {
    if (outcome.spooled().isEmpty() && outcome.throttled()) {
      // RFC 8516: 4.29 with Max-Age = when the device may send again.
      Response response = refused(ResponseCode.TOO_MANY_REQUESTS, pointId, outcome.refusals());
      response.getOptions().setMaxAge(retryAfter.toSeconds());
      return response;
    }
    if (outcome.spoolFull()) {
      Response response =
          text(ResponseCode.SERVICE_UNAVAILABLE, "spool full; retry after Max-Age seconds");
      response.getOptions().setMaxAge(SPOOL_FULL_RETRY_SECONDS);
      return response;
    }
    if (outcome.spooled().isEmpty()) {
      return refused(ResponseCode.BAD_REQUEST, pointId, outcome.refusals());
    }
    if (outcome.refusals().isEmpty()) {
      return new Response(ResponseCode.CHANGED);
    }
    // Some records were kept: 2.04, and the payload says which were not.
    Response response = new Response(ResponseCode.CHANGED);
    response.setPayload(RefusalJson.encode(pointId, outcome.spooled().size(), outcome.refusals()));
    response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    return response;
  }

  /** The refusal of a request by the point's registry check: 4.03 for another city's, else 4.00. */
  static Response pointRefused(String pointId, Refusal refusal) {
    return refused(
        refusal.reason() == RefusalReason.POINT_OF_OTHER_CITY
            ? ResponseCode.FORBIDDEN
            : ResponseCode.BAD_REQUEST,
        pointId,
        List.of(refusal));
  }

  /** A refusal of the whole request with {@code code}, the refusals as JSON. */
  static Response refused(ResponseCode code, String pointId, List<Refusal> refusals) {
    Response response = new Response(code);
    response.setPayload(RefusalJson.encode(pointId, 0, refusals));
    response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    return response;
  }

  /** 4.15 for a request that is not SenML JSON (110) or CBOR (112). */
  static Response unsupportedFormat(int format) {
    return text(
        ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
        "content-format "
            + (format < 0 ? "missing" : format)
            + "; send 110 (SenML JSON) or 112 (SenML CBOR)");
  }

  static Response text(ResponseCode code, String text) {
    Response response = new Response(code);
    response.setPayload(text.getBytes(StandardCharsets.UTF_8));
    response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
    return response;
  }
}
