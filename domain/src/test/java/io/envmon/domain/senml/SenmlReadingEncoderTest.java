package io.envmon.domain.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("envmon readings to SenML packs (station simulator)")
class SenmlReadingEncoderTest {

  static final String POINT = "wujiang-air-01";
  static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  static final SenmlReadingDecoder DECODER =
      new SenmlReadingDecoder(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

  static Reading reading(Instant observedAt, Measurement... measurements) {
    return new Reading(
        Reading.idFor(POINT, observedAt), POINT, observedAt, List.of(measurements), Source.MQTT);
  }

  @Test
  void writesTheCompactPackOfTheArchitectureExample() {
    Reading reading =
        reading(T0, Measurement.valid(Parameter.PM25, 35.2), Measurement.valid(Parameter.PM10, 80));

    assertThat(new String(SenmlReadingEncoder.toJson(reading), UTF_8))
        .isEqualTo(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"bu\":\"ug/m3\",\"n\":\"pm25\",\"v\":35.2},"
                + "{\"n\":\"pm10\",\"v\":80}]");
  }

  @Test
  void writesAUnitOnlyWhereItDiffersFromTheBaseUnit() {
    Reading reading =
        reading(T0, Measurement.valid(Parameter.PM25, 35), Measurement.valid(Parameter.CO, 0.8));

    assertThat(SenmlReadingEncoder.toPack(reading))
        .extracting(SenmlRecord::u)
        .containsExactly(null, "mg/m3");
  }

  @Test
  void writesTheFlagOnlyWhenNotN() {
    Reading reading =
        reading(
            T0,
            Measurement.valid(Parameter.PM25, 35),
            new Measurement(Parameter.PM10, 80, DataFlag.C));

    assertThat(SenmlReadingEncoder.toPack(reading))
        .extracting(SenmlRecord::flag)
        .containsExactly(null, "C");
  }

  @Test
  void readsBackTheSameReadingFromJson() throws DecodeException {
    Reading reading =
        reading(
            T0.plusMillis(250),
            Measurement.valid(Parameter.PM25, 35.2),
            new Measurement(Parameter.CO, 0.8, DataFlag.M),
            Measurement.valid(Parameter.O3, 160.0));

    SenmlDecodeResult decoded =
        DECODER.decodeJson(SenmlReadingEncoder.toJson(reading), POINT, Source.MQTT);

    assertThat(decoded.errors()).isEmpty();
    assertThat(decoded.readings()).containsExactly(reading);
  }

  @Test
  void readsBackTheSameReadingFromCbor() throws DecodeException {
    Reading reading =
        new Reading(
            Reading.idFor("taipu-water-01", T0),
            "taipu-water-01",
            T0,
            List.of(
                Measurement.valid(Parameter.PH, 7.21),
                Measurement.valid(Parameter.DO, 6.5),
                new Measurement(Parameter.NH3N, 0.123456789, DataFlag.T),
                Measurement.valid(Parameter.TEMP, -0.5)),
            Source.COAP);

    SenmlDecodeResult decoded =
        DECODER.decodeCbor(SenmlReadingEncoder.toCbor(reading), "taipu-water-01", Source.COAP);

    assertThat(decoded.errors()).isEmpty();
    assertThat(decoded.readings()).containsExactly(reading);
  }

  @Test
  void refusesAReadingWithoutMeasurements() {
    assertThatThrownBy(() -> SenmlReadingEncoder.toPack(reading(T0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAValueThatIsNotFinite() {
    assertThatThrownBy(
            () ->
                SenmlReadingEncoder.toPack(
                    reading(T0, Measurement.valid(Parameter.PM25, Double.NaN))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesATimeThatSenmlWouldReadAsRelative() {
    Reading early =
        reading(Instant.parse("1978-07-04T21:24:15Z"), Measurement.valid(Parameter.PM25, 1));
    assertThatThrownBy(() -> SenmlReadingEncoder.toPack(early))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("earliest absolute SenML time");
  }
}
