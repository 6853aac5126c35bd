package io.envmon.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.Intake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;

/** The CoAP answer to each intake outcome, without a network. */
class CoapAnswersTest {

  private static final Instant AT = Instant.parse("2026-12-03T02:00:00Z");
  private static final AcceptedReading READING =
      new AcceptedReading(
          new Reading(
              Reading.idFor("sz-air-001", AT),
              "sz-air-001",
              AT,
              List.of(Measurement.valid(Parameter.PM25, 35)),
              Source.COAP),
          "suzhou",
          PointKind.AIR,
          "gw",
          0,
          AT);
  private static final Refusal THROTTLED =
      new Refusal(RefusalReason.THROTTLED, "", "more than 60 readings a minute");
  private static final Refusal IMPOSSIBLE =
      new Refusal(RefusalReason.IMPOSSIBLE_VALUE, "pm25", "-3 is below 0");

  private static Response answer(Intake.Outcome outcome) {
    return CoapAnswers.outcome("sz-air-001", outcome, Duration.ofSeconds(12));
  }

  @Test
  void everythingSpooledIsChangedWithoutAPayload() {
    Response response = answer(new Intake.Outcome(List.of(READING), List.of(), false, List.of()));
    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getPayloadSize()).isZero();
  }

  @Test
  void partlySpooledIsChangedAndNamesTheRecordsNotKept() {
    Response response =
        answer(new Intake.Outcome(List.of(READING), List.of(IMPOSSIBLE), false, List.of()));
    assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
    assertThat(response.getOptions().getContentFormat())
        .isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
    assertThat(response.getPayloadString()).contains("impossible_value", "\"accepted\":1");
  }

  @Test
  void nothingSpooledIsBadRequestWithTheReasons() {
    Response response =
        answer(new Intake.Outcome(List.of(), List.of(IMPOSSIBLE), false, List.of()));
    assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(response.getPayloadString()).contains("-3 is below 0");
  }

  @Test
  void everyReadingThrottledIsTooManyRequestsWithMaxAge() {
    Response response = answer(new Intake.Outcome(List.of(), List.of(THROTTLED), false, List.of()));
    assertThat(response.getCode()).isEqualTo(ResponseCode.TOO_MANY_REQUESTS);
    assertThat(response.getOptions().getMaxAge()).isEqualTo(12);
  }

  @Test
  void aFullSpoolIsServiceUnavailableWithMaxAge() {
    Response response = answer(new Intake.Outcome(List.of(), List.of(), true, List.of(READING)));
    assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
    assertThat(response.getOptions().getMaxAge()).isEqualTo(CoapAnswers.SPOOL_FULL_RETRY_SECONDS);
  }

  @Test
  void aPointOfAnotherCityIsForbiddenAndAnUnknownOneBadRequest() {
    assertThat(
            CoapAnswers.pointRefused(
                    "wx-air-001",
                    new Refusal(RefusalReason.POINT_OF_OTHER_CITY, "", "point of wuxi"))
                .getCode())
        .isEqualTo(ResponseCode.FORBIDDEN);
    assertThat(
            CoapAnswers.pointRefused(
                    "nope", new Refusal(RefusalReason.UNKNOWN_POINT, "", "no such point"))
                .getCode())
        .isEqualTo(ResponseCode.BAD_REQUEST);
  }

  @Test
  void anotherContentFormatNamesTheTwoItTakes() {
    Response response = CoapAnswers.unsupportedFormat(50);
    assertThat(response.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
    assertThat(response.getPayloadString())
        .isEqualTo("content-format 50; send 110 (SenML JSON) or 112 (SenML CBOR)");
    assertThat(CoapAnswers.unsupportedFormat(-1).getPayloadString())
        .startsWith("content-format missing");
  }

  @Test
  void eachIntakeResultHasItsCode() {
    Refusal malformed = new Refusal(RefusalReason.MALFORMED, "$", "not a SenML pack");
    Refusal unknown = new Refusal(RefusalReason.UNKNOWN_POINT, "", "no such point");
    assertThat(
            CoapAnswers.result(
                    "sz-air-001",
                    new Intake.Result.Undecodable(malformed),
                    () -> Duration.ofSeconds(1))
                .getCode())
        .isEqualTo(ResponseCode.BAD_REQUEST);
    assertThat(
            CoapAnswers.result(
                    "sz-air-001", new Intake.Result.PointRefused(unknown), () -> Duration.ZERO)
                .getPayloadString())
        .contains("unknown_point");
    assertThat(
            CoapAnswers.result(
                    "sz-air-001",
                    new Intake.Result.NotSpooled(new IllegalStateException("disk")),
                    () -> Duration.ZERO)
                .getCode())
        .isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
  }

  @Test
  void noIdentityIsUnauthorizedAndAnotherDevicesPointForbidden() {
    Refusal refusal = new Refusal(RefusalReason.UNAUTHORISED, "identity", "who?");
    assertThat(
            CoapAnswers.denied("sz-air-001", new CoapWriteAccess.Decision.Unauthenticated(refusal))
                .getCode())
        .isEqualTo(ResponseCode.UNAUTHORIZED);
    assertThat(
            CoapAnswers.denied("sz-air-001", new CoapWriteAccess.Decision.Forbidden(refusal))
                .getCode())
        .isEqualTo(ResponseCode.FORBIDDEN);
  }
}
