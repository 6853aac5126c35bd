package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HJ 212 data packets to envmon readings")
class Hj212ReadingMapperTest {

  static final String POINT = "wujiang-air-01";
  static final Instant T0 = Instant.parse("2025-11-21T00:00:00Z");
  static final String HEADER = "QN=20251121080000123;ST=22;PW=123456;MN=WJAIR01;Flag=5;";

  static Hj212DecodeResult map(String cn, String cp) throws DecodeException {
    Hj212Packet packet =
        Hj212Codec.decodeFrame(Hj212CodecTest.frame(HEADER + "CN=" + cn + ";CP=&&" + cp + "&&"));
    return Hj212ReadingMapper.toReadings(packet, POINT);
  }

  @Test
  void readsRealTimeValuesAndFlags() throws DecodeException {
    Hj212DecodeResult result =
        map(
            "2011",
            "DataTime=20251121080000;a34004-Rtd=35.2,a34004-Flag=N;a21005-Rtd=0.8,a21005-Flag=D");

    assertThat(result.errors()).isEmpty();
    assertThat(result.readings())
        .containsExactly(
            new Reading(
                Reading.idFor(POINT, T0),
                POINT,
                T0,
                List.of(
                    Measurement.valid(Parameter.PM25, 35.2),
                    new Measurement(Parameter.CO, 0.8, DataFlag.D)),
                Source.HJ212));
  }

  @Test
  void readsTheAverageOfHourlyData() throws DecodeException {
    Hj212DecodeResult result =
        map("2061", "DataTime=20251121080000;w01018-Min=6.2,w01018-Avg=6.8,w01018-Max=7.1");

    assertThat(result.readings().get(0).measurements())
        .containsExactly(Measurement.valid(Parameter.COD, 6.8));
  }

  @Test
  void readsTheAverageOfMinuteAndDailyData() throws DecodeException {
    for (String cn : List.of("2051", "2031")) {
      assertThat(map(cn, "DataTime=20251121080000;w01001-Avg=7.2").readings().get(0).measurements())
          .as("CN %s", cn)
          .containsExactly(Measurement.valid(Parameter.PH, 7.2));
    }
  }

  @Test
  void takesAMissingFlagAsN() throws DecodeException {
    assertThat(
            map("2011", "DataTime=20251121080000;a34004-Rtd=35").readings().get(0).measurements())
        .containsExactly(Measurement.valid(Parameter.PM25, 35));
  }

  @Test
  void keepsTheOtherFactorsWhenOneCodeIsUnknown() throws DecodeException {
    Hj212DecodeResult result =
        map(
            "2011",
            "DataTime=20251121080000;a99999-Rtd=1,a99999-Flag=N;a34002-Rtd=80,a34002-Flag=N");

    assertThat(result.errors())
        .containsExactly(new FactorError("a99999", "code", "unknown factor code \"a99999\""));
    assertThat(result.readings().get(0).measurements())
        .containsExactly(Measurement.valid(Parameter.PM10, 80));
  }

  @Test
  void readsTheMeteorologicalFactorsOfAnAirStation() throws DecodeException {
    Hj212DecodeResult result =
        map(
            "2011",
            "DataTime=20251121080000;a34004-Rtd=35.2,a34004-Flag=N;a01001-Rtd=-3.5,a01001-Flag=N;"
                + "a01002-Rtd=87,a01002-Flag=N;a01006-Rtd=102.1,a01006-Flag=N;"
                + "a01007-Rtd=2.4,a01007-Flag=N;a01008-Rtd=315,a01008-Flag=N");

    assertThat(result.errors()).isEmpty();
    assertThat(result.readings().get(0).measurements())
        .containsExactly(
            Measurement.valid(Parameter.PM25, 35.2),
            Measurement.valid(Parameter.AIR_TEMP, -3.5),
            Measurement.valid(Parameter.RH, 87),
            Measurement.valid(Parameter.PRESSURE, 102.1),
            Measurement.valid(Parameter.WIND_SPEED, 2.4),
            Measurement.valid(Parameter.WIND_DIR, 315));
  }

  @Test
  void reportsAFactorWithoutTheValueFieldOfItsCommand() throws DecodeException {
    assertThat(map("2011", "DataTime=20251121080000;a34004-Avg=35").errors())
        .containsExactly(new FactorError("a34004", "Rtd", "no a34004-Rtd in a CN 2011 packet"));
  }

  @Test
  void reportsAValueThatIsNotADecimalNumber() throws DecodeException {
    for (String bad : List.of("NaN", "Infinity", "1e5", "0x1p3", "1.5d", "", "--1")) {
      assertThat(map("2011", "DataTime=20251121080000;a34004-Rtd=" + bad).errors())
          .as("value %s", bad)
          .containsExactly(
              new FactorError("a34004", "Rtd", "value \"" + bad + "\" is not a decimal number"));
    }
  }

  @Test
  void acceptsNegativeAndSignedDecimals() throws DecodeException {
    assertThat(
            map("2011", "DataTime=20251121080000;w01010-Rtd=-0.5;w01001-Rtd=+7.")
                .readings()
                .get(0)
                .measurements())
        .containsExactly(
            Measurement.valid(Parameter.TEMP, -0.5), Measurement.valid(Parameter.PH, 7));
  }

  @Test
  void reportsAnUnknownFlag() throws DecodeException {
    assertThat(map("2011", "DataTime=20251121080000;a34004-Rtd=35,a34004-Flag=X").errors())
        .containsExactly(
            new FactorError(
                "a34004",
                "Flag",
                "unknown data flag \"X\"; expected one of N, F, M, S, D, C, T, B"));
  }

  @Test
  void yieldsNoReadingWhenNoFactorIsUsable() throws DecodeException {
    Hj212DecodeResult result = map("2011", "DataTime=20251121080000;a99999-Rtd=1");

    assertThat(result.readings()).isEmpty();
    assertThat(result.isComplete()).isFalse();
  }

  @Test
  void refusesAPacketThatIsNotADataUpload() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(Hj212CodecTest.KNOWN_PACKET.getBytes(ISO_8859_1));

    assertThatThrownBy(() -> Hj212ReadingMapper.toReadings(packet, POINT))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo(
                      "CN \"1062\" is not a data upload; envmon reads 2011, 2051, 2061 and 2031");
              assertThat(e.location()).isEqualTo("CN");
            });
  }

  @Test
  void refusesADataPacketWithoutDataTime() {
    assertThatThrownBy(() -> map("2011", "a34004-Rtd=35"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("no DataTime in a CN 2011 packet");
              assertThat(e.location()).isEqualTo("CP");
            });
  }

  @Test
  void writesARealTimePacketAsAStationWould() {
    Reading reading =
        new Reading(
            Reading.idFor(POINT, T0),
            POINT,
            T0,
            List.of(
                Measurement.valid(Parameter.PM25, 35.2),
                new Measurement(Parameter.PM10, 80, DataFlag.C)),
            Source.HJ212);

    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.REAL_TIME,
            "WJAIR01",
            "123456",
            T0.plusMillis(123),
            Hj212Codec.DEFAULT_STATION_ZONE,
            true);

    assertThat(new String(Hj212Codec.encode(packet), ISO_8859_1))
        .startsWith(
            "##0151QN=20251121080000123;ST=22;CN=2011;PW=123456;MN=WJAIR01;Flag=5;"
                + "CP=&&DataTime=20251121080000;a34004-Rtd=35.2,a34004-Flag=N;"
                + "a34002-Rtd=80,a34002-Flag=C&&");
  }

  @Test
  void writesAnHourlyPacketThatReadsBackTheSameReading() throws DecodeException {
    Reading reading =
        new Reading(
            Reading.idFor("taipu-water-01", T0),
            "taipu-water-01",
            T0,
            List.of(
                Measurement.valid(Parameter.PH, 7.21),
                Measurement.valid(Parameter.NH3N, 0.000123),
                new Measurement(Parameter.TEMP, -0.5, DataFlag.M)),
            Source.HJ212);

    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.HOURLY,
            "TPW01",
            "123456",
            T0,
            Hj212Codec.DEFAULT_STATION_ZONE,
            false);
    Hj212Packet readBack = Hj212Codec.decodeFrame(Hj212Codec.encode(packet));

    assertThat(readBack.st()).isEqualTo("21");
    assertThat(readBack.cn()).isEqualTo("2061");
    assertThat(readBack.asksForReply()).isFalse();
    assertThat(Hj212ReadingMapper.toReadings(readBack, "taipu-water-01").readings())
        .containsExactly(reading);
  }

  @Test
  void refusesToWriteANoiseReading() {
    Reading reading =
        new Reading(
            Reading.idFor("n1", T0),
            "n1",
            T0,
            List.of(Measurement.valid(Parameter.LEQ, 55)),
            Source.HJ212);

    assertThatThrownBy(
            () ->
                Hj212ReadingMapper.toPacket(
                    reading,
                    DataCommand.REAL_TIME,
                    "N1",
                    "1",
                    T0,
                    Hj212Codec.DEFAULT_STATION_ZONE,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HJ 212 has no factor code for leq");
  }

  @Test
  void refusesToWriteAReadingMixingPointKinds() {
    Reading reading =
        new Reading(
            Reading.idFor("x", T0),
            "x",
            T0,
            List.of(Measurement.valid(Parameter.PM25, 1), Measurement.valid(Parameter.PH, 7)),
            Source.HJ212);

    assertThatThrownBy(
            () ->
                Hj212ReadingMapper.toPacket(
                    reading,
                    DataCommand.REAL_TIME,
                    "X",
                    "1",
                    T0,
                    Hj212Codec.DEFAULT_STATION_ZONE,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reading mixes AIR and WATER parameters");
  }
}
