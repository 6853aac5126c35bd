package io.envmon.domain.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

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

@DisplayName("SenML packs to envmon readings")
class SenmlReadingDecoderTest {

  static final String POINT = "wujiang-air-01";
  static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  static final Instant NOW = Instant.parse("2025-11-21T08:00:00Z");
  static final SenmlReadingDecoder DECODER =
      new SenmlReadingDecoder(Clock.fixed(NOW, ZoneOffset.UTC));

  static SenmlDecodeResult decode(String json) throws DecodeException {
    return DECODER.decodeJson(json.getBytes(UTF_8), POINT, Source.MQTT);
  }

  @Test
  void readsTheArchitectureExampleAsOneReading() throws DecodeException {
    SenmlDecodeResult result = decode(SenmlJsonTest.ARCHITECTURE_EXAMPLE);

    assertThat(result.errors()).isEmpty();
    assertThat(result.readings())
        .containsExactly(
            new Reading(
                Reading.idFor(POINT, T0),
                POINT,
                T0,
                List.of(
                    Measurement.valid(Parameter.PM25, 35.2), Measurement.valid(Parameter.PM10, 80)),
                Source.MQTT));
  }

  @Test
  void readsTheSamePackFromCbor() throws DecodeException {
    byte[] cbor =
        SenmlCbor.encode(SenmlJson.decode(SenmlJsonTest.ARCHITECTURE_EXAMPLE.getBytes(UTF_8)));

    SenmlDecodeResult result = DECODER.decodeCbor(cbor, POINT, Source.COAP);

    assertThat(result.readings())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.measurements()).hasSize(2);
              assertThat(r.source()).isEqualTo(Source.COAP);
            });
  }

  @Test
  void groupsRecordsByTimeIntoOneReadingEach() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":35},"
                + "{\"n\":\"pm25\",\"t\":3600,\"v\":40},{\"n\":\"pm10\",\"v\":80}]");

    assertThat(result.readings())
        .extracting(Reading::observedAt, r -> r.measurements().size())
        .containsExactly(tuple(T0, 2), tuple(T0.plusSeconds(3600), 1));
    assertThat(result.readings().get(1).readingId())
        .isEqualTo(Reading.idFor(POINT, T0.plusSeconds(3600)));
  }

  @Test
  void readsTheMeteorologicalFactorsByNameAndUnit() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"air_temp\",\"u\":\"Cel\",\"v\":-3.5},"
                + "{\"n\":\"rh\",\"u\":\"%RH\",\"v\":87},{\"n\":\"pressure\",\"u\":\"kPa\",\"v\":102.1},"
                + "{\"n\":\"wind_speed\",\"u\":\"m/s\",\"v\":2.4},{\"n\":\"wind_dir\",\"u\":\"deg\",\"v\":315}]");

    assertThat(result.errors()).isEmpty();
    assertThat(result.readings().get(0).measurements())
        .containsExactly(
            Measurement.valid(Parameter.AIR_TEMP, -3.5),
            Measurement.valid(Parameter.RH, 87),
            Measurement.valid(Parameter.PRESSURE, 102.1),
            Measurement.valid(Parameter.WIND_SPEED, 2.4),
            Measurement.valid(Parameter.WIND_DIR, 315));
  }

  @Test
  void keepsTheDataFlagOfAValue() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"co\",\"v\":0.8,\"flag\":\"D\"}]");

    assertThat(result.readings().get(0).measurements())
        .containsExactly(new Measurement(Parameter.CO, 0.8, DataFlag.D));
  }

  @Test
  void resolvesARelativeTimeAgainstTheClock() throws DecodeException {
    SenmlDecodeResult result =
        decode("[{\"bn\":\"wujiang-air-01:\",\"n\":\"pm25\",\"t\":-60,\"v\":1}]");

    assertThat(result.readings().get(0).observedAt()).isEqualTo(NOW.minusSeconds(60));
  }

  @Test
  void truncatesObservationTimesToMilliseconds() throws DecodeException {
    SenmlDecodeResult result =
        decode("[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200.1234567,\"n\":\"pm25\",\"v\":1}]");

    assertThat(result.readings().get(0).observedAt()).isEqualTo(T0.plusMillis(123));
  }

  @Test
  void keepsTheValidRecordsWhenOneNamesAnUnknownParameter() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":35},"
                + "{\"n\":\"pm1\",\"v\":20},{\"n\":\"pm10\",\"v\":80}]");

    assertThat(result.errors())
        .containsExactly(
            new RecordError(1, "n", "unknown parameter \"pm1\" in \"wujiang-air-01:pm1\""));
    assertThat(result.readings().get(0).measurements())
        .extracting(Measurement::parameter)
        .containsExactly(Parameter.PM25, Parameter.PM10);
  }

  @Test
  void reportsARecordForAnotherPoint() throws DecodeException {
    SenmlDecodeResult result =
        decode("[{\"bn\":\"kunshan-air-02:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":35}]");

    assertThat(result.readings()).isEmpty();
    assertThat(result.errors())
        .containsExactly(
            new RecordError(
                0,
                "bn",
                "name \"kunshan-air-02:pm25\" is for point \"kunshan-air-02\", but the pack was"
                    + " sent for point \"wujiang-air-01\""));
  }

  @Test
  void reportsANameWithoutPointAndParameter() throws DecodeException {
    assertThat(decode("[{\"bt\":1763683200,\"n\":\"pm25\",\"v\":35}]").errors())
        .containsExactly(
            new RecordError(
                0, "n", "name \"pm25\" is not {pointId}:{parameter}, e.g. wujiang-air-01:pm25"));
  }

  @Test
  void reportsAStringValue() throws DecodeException {
    assertThat(
            decode("[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"vs\":\"35\"}]")
                .errors())
        .containsExactly(
            new RecordError(0, "v", "a measurement needs a numeric value v, found vs"));
  }

  @Test
  void reportsARecordWithOnlyASum() throws DecodeException {
    assertThat(
            decode("[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"s\":35}]")
                .errors())
        .containsExactly(new RecordError(0, "v", "no numeric value v"));
  }

  @Test
  void reportsAValueThatIsNotFinite() throws DecodeException {
    assertThat(
            decode("[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":-1e999}]")
                .errors())
        .containsExactly(new RecordError(0, "v", "value -Infinity is not a finite number"));
  }

  @Test
  void reportsAUnitOtherThanTheCanonicalOne() throws DecodeException {
    assertThat(
            decode(
                    "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"co\",\"u\":\"ug/m3\",\"v\":800}]")
                .errors())
        .containsExactly(
            new RecordError(0, "u", "unit \"ug/m3\" is not \"mg/m3\", the unit of co"));
  }

  @Test
  void appliesTheBaseUnitWhenCheckingUnits() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"bu\":\"ug/m3\",\"n\":\"pm25\",\"v\":35},"
                + "{\"n\":\"co\",\"v\":0.8},{\"n\":\"co\",\"u\":\"mg/m3\",\"t\":60,\"v\":0.9}]");

    assertThat(result.errors())
        .extracting(RecordError::index, RecordError::field)
        .containsExactly(tuple(1, "u"));
    assertThat(result.readings()).hasSize(2);
  }

  @Test
  void reportsAnUnknownFlag() throws DecodeException {
    assertThat(
            decode(
                    "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":1,\"flag\":\"X\"}]")
                .errors())
        .extracting(RecordError::field)
        .containsExactly("flag");
  }

  @Test
  void reportsARecordWithoutTime() throws DecodeException {
    assertThat(decode("[{\"bn\":\"wujiang-air-01:\",\"n\":\"pm25\",\"v\":1}]").errors())
        .containsExactly(
            new RecordError(0, "t", "no time: neither bt nor t applies to this record"));
  }

  @Test
  void reportsATimeBeyondYear9999() throws DecodeException {
    assertThat(decode("[{\"bn\":\"wujiang-air-01:\",\"bt\":1e12,\"n\":\"pm25\",\"v\":1}]").errors())
        .containsExactly(
            new RecordError(
                0, "t", "time +33658-09-27T01:46:40Z is outside 1970-01-01 to 9999-12-31"));
  }

  @Test
  void reportsTheSecondValueOfAParameterAtTheSameTime() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"v\":35},"
                + "{\"n\":\"pm25\",\"v\":36}]");

    assertThat(result.errors())
        .containsExactly(
            new RecordError(
                1, "n", "duplicate: pm25 at 2025-11-21T00:00:00Z is already given by record 0"));
    assertThat(result.readings().get(0).measurements())
        .containsExactly(Measurement.valid(Parameter.PM25, 35));
  }

  @Test
  void reportsErrorsInRecordOrderWhetherFromResolutionOrMapping() throws DecodeException {
    SenmlDecodeResult result =
        decode(
            "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm1\",\"v\":1},"
                + "{\"n\":\"pm 10\",\"v\":1},{\"n\":\"pm25\",\"v\":1}]");

    assertThat(result.errors()).extracting(RecordError::index).containsExactly(0, 1);
    assertThat(result.isComplete()).isFalse();
  }

  @Test
  void stillRejectsAWholePayloadThatIsNotSenml() {
    assertThatThrownBy(() -> decode("{}")).isInstanceOf(DecodeException.class);
  }
}
