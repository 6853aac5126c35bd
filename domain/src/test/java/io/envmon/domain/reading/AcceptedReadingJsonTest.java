package io.envmon.domain.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Fuzz;
import io.envmon.domain.point.PointKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Accepted readings on Kafka envmon.readings.v1")
class AcceptedReadingJsonTest {

  private static final Instant OBSERVED = Instant.parse("2025-11-21T00:00:00Z");

  private static AcceptedReading sample() {
    Reading reading =
        new Reading(
            Reading.idFor("wujiang-air-01", OBSERVED),
            "wujiang-air-01",
            OBSERVED,
            List.of(
                Measurement.valid(Parameter.PM25, 35.2),
                new Measurement(Parameter.PM10, 80, DataFlag.D)),
            Source.MQTT);
    return new AcceptedReading(
        reading,
        "wujiang",
        PointKind.AIR,
        "wujiang-gw-1",
        42,
        Instant.parse("2025-11-21T00:00:01.250Z"));
  }

  @Test
  void aReadingRoundTripsWithItsFlagsAndGatewaySequence() throws DecodeException {
    AcceptedReading accepted = sample();
    assertThat(AcceptedReadingJson.decode(AcceptedReadingJson.encode(accepted)))
        .isEqualTo(accepted);
  }

  @Test
  void aBackfilledReadingCarriesTheMarkerAndALiveOneDoesNot() throws DecodeException {
    AcceptedReading live = sample();
    assertThat(new String(AcceptedReadingJson.encode(live), StandardCharsets.UTF_8))
        .doesNotContain("backfilled");
    Reading r = live.reading();
    AcceptedReading backfilled =
        new AcceptedReading(
            new Reading(
                r.readingId(), r.pointId(), r.observedAt(), r.measurements(), Source.HJ212, true),
            live.cityId(),
            live.kind(),
            live.gatewayId(),
            live.gatewaySequence(),
            live.receivedAt());
    byte[] json = AcceptedReadingJson.encode(backfilled);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"backfilled\":true");
    assertThat(AcceptedReadingJson.decode(json)).isEqualTo(backfilled);
    assertThat(AcceptedReadingJson.decode(json).reading().backfilled()).isTrue();
  }

  @Test
  void thePointIdIsReadWithoutDecodingTheRestAndItsAbsenceIsNamed() throws DecodeException {
    AcceptedReading accepted = sample();
    byte[] json = AcceptedReadingJson.encode(accepted);
    assertThat(AcceptedReadingJson.pointIdOf(json)).isEqualTo(accepted.reading().pointId());
    byte[] earlier =
        new String(json, StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"addedLater\":{\"pointId\":\"not-this\"},")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(AcceptedReadingJson.pointIdOf(earlier)).isEqualTo(accepted.reading().pointId());
    assertThatThrownBy(
            () ->
                AcceptedReadingJson.pointIdOf(
                    "{\"readingId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("pointId");
    assertThatThrownBy(() -> AcceptedReadingJson.pointIdOf("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void unknownFieldsAreIgnoredForForwardCompatibility() throws DecodeException {
    String json =
        new String(AcceptedReadingJson.encode(sample()), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"addedLater\":{\"x\":[1,2]},");
    assertThat(AcceptedReadingJson.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(sample());
  }

  @Test
  void anUnknownParameterIsRefusedNamingIt() {
    String json =
        new String(AcceptedReadingJson.encode(sample()), StandardCharsets.UTF_8)
            .replace("\"pm25\"", "\"pm1\"");
    assertThatThrownBy(() -> AcceptedReadingJson.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.location()).isEqualTo("values.pm1"));
  }

  @Test
  void aMissingFieldIsRefusedNamingIt() {
    String json =
        new String(AcceptedReadingJson.encode(sample()), StandardCharsets.UTF_8)
            .replace("\"cityId\"", "\"cityName\"");
    assertThatThrownBy(() -> AcceptedReadingJson.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.location()).isEqualTo("cityId"));
  }

  @Test
  void anyBytesGiveADecodeExceptionOrAReadingNeverAnotherException() {
    List<byte[]> corpus = List.of(AcceptedReadingJson.encode(sample()));
    Fuzz.Outcome outcome =
        Fuzz.run(
            "AcceptedReadingJson",
            Fuzz.seed(20261121L),
            Fuzz.iterations(20_000),
            random -> Fuzz.mutate(random, corpus),
            AcceptedReadingJson::decode);
    assertThat(outcome.rejected()).isPositive();
  }
}
