package io.envmon.domain.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.senml.ResolvedRecord.TimeBasis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SenML resolution (RFC 8428 §4.6)")
class SenmlResolverTest {

  static final Instant NOW = Instant.parse("2025-11-21T08:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static ResolvedPack resolve(String json) throws DecodeException {
    return SenmlResolver.resolve(SenmlJson.decode(json.getBytes(UTF_8)), CLOCK);
  }

  static ResolvedRecord only(String json) throws DecodeException {
    ResolvedPack pack = resolve(json);
    assertThat(pack.errors()).isEmpty();
    assertThat(pack.records()).hasSize(1);
    return pack.records().get(0);
  }

  @Test
  void resolvesTheExampleOfRfc8428Section5_1_3AsSection5_1_4Shows() throws DecodeException {
    ResolvedPack pack =
        resolve(
            "[{\"bn\":\"urn:dev:ow:10e2073a01080063\",\"bt\":1.320067464e+09,\"bu\":\"%RH\",\"v\":20},"
                + "{\"u\":\"lon\",\"v\":24.30621},{\"u\":\"lat\",\"v\":60.07965},"
                + "{\"t\":60,\"v\":20.3},{\"u\":\"%EL\",\"t\":150,\"v\":98}]");

    assertThat(pack.records())
        .extracting(ResolvedRecord::name, ResolvedRecord::unit, ResolvedRecord::time)
        .containsExactly(
            tuple("urn:dev:ow:10e2073a01080063", "%RH", Instant.ofEpochSecond(1_320_067_464L)),
            tuple("urn:dev:ow:10e2073a01080063", "lon", Instant.ofEpochSecond(1_320_067_464L)),
            tuple("urn:dev:ow:10e2073a01080063", "lat", Instant.ofEpochSecond(1_320_067_464L)),
            tuple("urn:dev:ow:10e2073a01080063", "%RH", Instant.ofEpochSecond(1_320_067_524L)),
            tuple("urn:dev:ow:10e2073a01080063", "%EL", Instant.ofEpochSecond(1_320_067_614L)));
    assertThat(pack.records().get(1).value()).isEqualTo(new SenmlValue.Numeric(24.30621));
  }

  @Test
  void keepsEachBaseFieldUntilARecordChangesIt() throws DecodeException {
    // RFC 8428 §5.1.6: the last record uses the third record's bn and the first record's bt.
    ResolvedPack pack =
        resolve(
            "[{\"bn\":\"2001:db8::2/\",\"bt\":1.320078429e+09,\"n\":\"temperature\",\"u\":\"Cel\",\"v\":25.2},"
                + "{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":30},"
                + "{\"bn\":\"2001:db8::1/\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":12.3},"
                + "{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":67}]");

    ResolvedRecord last = pack.records().get(3);
    assertThat(last.name()).isEqualTo("2001:db8::1/humidity");
    assertThat(last.time()).isEqualTo(Instant.ofEpochSecond(1_320_078_429L));
    assertThat(last.timeBasis()).isEqualTo(TimeBasis.ABSOLUTE);
  }

  @Test
  void skipsARecordThatOnlyCarriesBaseFields() throws DecodeException {
    // RFC 8428 §5.1.7.
    ResolvedPack pack =
        resolve(
            "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\"},{\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1}]");

    assertThat(pack.errors()).isEmpty();
    assertThat(pack.records()).singleElement().extracting(ResolvedRecord::index).isEqualTo(1);
  }

  @Test
  void readsTimesBelow2To28AsRelativeToTheClock() throws DecodeException {
    ResolvedRecord record = only("[{\"n\":\"x\",\"t\":-5.5,\"v\":1}]");

    assertThat(record.time()).isEqualTo(NOW.minusMillis(5500));
    assertThat(record.timeBasis()).isEqualTo(TimeBasis.RELATIVE);
  }

  @Test
  void readsBaseTimePlusTimeBelow2To28AsRelative() throws DecodeException {
    ResolvedRecord record = only("[{\"bt\":-60,\"n\":\"x\",\"t\":30,\"v\":1}]");

    assertThat(record.time()).isEqualTo(NOW.minusSeconds(30));
  }

  @Test
  void readsExactly2To28AsAbsolute() throws DecodeException {
    ResolvedRecord record = only("[{\"n\":\"x\",\"t\":268435456,\"v\":1}]");

    assertThat(record.time()).isEqualTo(Instant.parse("1978-07-04T21:24:16Z"));
    assertThat(record.timeBasis()).isEqualTo(TimeBasis.ABSOLUTE);
  }

  @Test
  void readsJustBelow2To28AsRelative() throws DecodeException {
    assertThat(only("[{\"n\":\"x\",\"t\":268435455.5,\"v\":1}]").timeBasis())
        .isEqualTo(TimeBasis.RELATIVE);
  }

  @Test
  void takesAMissingTimeAsNowAndSaysSo() throws DecodeException {
    ResolvedRecord record = only("[{\"n\":\"x\",\"v\":1}]");

    assertThat(record.time()).isEqualTo(NOW);
    assertThat(record.timeBasis()).isEqualTo(TimeBasis.NOT_GIVEN);
  }

  @Test
  void keepsFractionsOfASecondAsWritten() throws DecodeException {
    assertThat(only("[{\"n\":\"x\",\"t\":1.7636832001e9,\"v\":1}]").time())
        .isEqualTo(Instant.parse("2025-11-21T00:00:00.100Z"));
  }

  @Test
  void addsTheBaseValueToTheValueInDecimal() throws DecodeException {
    assertThat(only("[{\"bv\":0.1,\"n\":\"x\",\"v\":0.2}]").value())
        .isEqualTo(new SenmlValue.Numeric(0.3));
  }

  @Test
  void doesNotApplyTheBaseValueToAStringValue() throws DecodeException {
    assertThat(only("[{\"bv\":5,\"n\":\"x\",\"vs\":\"on\"}]").value())
        .isEqualTo(new SenmlValue.Text("on"));
  }

  @Test
  void addsTheBaseSumToTheSum() throws DecodeException {
    ResolvedPack pack = resolve("[{\"bs\":100,\"n\":\"x\",\"s\":5},{\"n\":\"y\",\"v\":1}]");

    assertThat(pack.records()).extracting(ResolvedRecord::sum).containsExactly(105d, 100d);
  }

  @Test
  void resolvesASumWithoutAValue() throws DecodeException {
    ResolvedRecord record = only("[{\"n\":\"x\",\"s\":5}]");
    assertThat(record.value()).isNull();
    assertThat(record.sum()).isEqualTo(5d);
  }

  @Test
  void prefersTheRecordsUnitOverTheBaseUnit() throws DecodeException {
    ResolvedPack pack =
        resolve("[{\"bu\":\"ug/m3\",\"n\":\"a\",\"v\":1},{\"n\":\"b\",\"u\":\"mg/m3\",\"v\":1}]");

    assertThat(pack.records()).extracting(ResolvedRecord::unit).containsExactly("ug/m3", "mg/m3");
  }

  @Test
  void readsTheUpdateTimeAsADuration() throws DecodeException {
    assertThat(only("[{\"n\":\"x\",\"v\":1,\"ut\":0.9999999999}]").updateTime())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void readsTheFlagExtension() throws DecodeException {
    assertThat(only("[{\"n\":\"x\",\"v\":1,\"flag\":\"C\"}]").flag()).isEqualTo(DataFlag.C);
  }

  @Test
  void defaultsTheFlagToN() throws DecodeException {
    assertThat(only("[{\"n\":\"x\",\"v\":1}]").flag()).isEqualTo(DataFlag.N);
  }

  @Test
  void reportsANameOutsideTheAllowedCharactersAndKeepsTheOtherRecords() throws DecodeException {
    ResolvedPack pack =
        resolve("[{\"bn\":\"a b:\",\"n\":\"x\",\"v\":1},{\"bn\":\"ok:\",\"n\":\"y\",\"v\":2}]");

    assertThat(pack.errors())
        .containsExactly(
            new RecordError(
                0,
                "n",
                "name \"a b:x\" must match [A-Za-z0-9][-:./_A-Za-z0-9]* (RFC 8428 §4.5.1)"));
    assertThat(pack.records()).extracting(ResolvedRecord::name).containsExactly("ok:y");
  }

  @Test
  void reportsANameThatDoesNotStartWithALetterOrDigit() throws DecodeException {
    assertThat(resolve("[{\"n\":\"-x\",\"v\":1}]").errors())
        .extracting(RecordError::field)
        .containsExactly("n");
  }

  @Test
  void reportsARecordWithoutAName() throws DecodeException {
    assertThat(resolve("[{\"v\":1}]").errors())
        .containsExactly(
            new RecordError(0, "n", "no name: neither bn nor n applies (RFC 8428 §4.2)"));
  }

  @Test
  void reportsMoreThanOneValueField() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"v\":1,\"vs\":\"1\"}]").errors())
        .containsExactly(
            new RecordError(
                0,
                "vs",
                "more than one value field (v, vs); exactly one is allowed (RFC 8428 §4.2)"));
  }

  @Test
  void reportsARecordWithNeitherValueNorSum() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"t\":1}]").errors())
        .containsExactly(
            new RecordError(0, "v", "no value (v, vs, vb or vd) and no sum (RFC 8428 §4.2)"));
  }

  @Test
  void reportsAnUnknownFlag() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"v\":1,\"flag\":\"n\"}]").errors())
        .containsExactly(
            new RecordError(
                0,
                "flag",
                "unknown data flag \"n\"; expected one of N, F, M, S, D, C, T, B (HJ 212-2017)"));
  }

  @Test
  void reportsATimeThatIsNotFinite() throws DecodeException {
    assertThat(resolve("[{\"bt\":1e999,\"n\":\"x\",\"v\":1},{\"n\":\"y\",\"v\":1}]").errors())
        .containsExactly(
            new RecordError(0, "t", "time bt + t is not a finite number"),
            new RecordError(1, "t", "time bt + t is not a finite number"));
  }

  @Test
  void reportsATimeBeyondTheInstantRange() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"t\":1e300,\"v\":1}]").errors())
        .containsExactly(
            new RecordError(0, "t", "time 1.0E300 s is outside the range of representable times"));
  }

  @Test
  void reportsARelativeTimeFarInThePast() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"t\":-1e200,\"v\":1}]").errors())
        .extracting(RecordError::field)
        .containsExactly("t");
  }

  @Test
  void reportsANegativeUpdateTime() throws DecodeException {
    assertThat(resolve("[{\"n\":\"x\",\"v\":1,\"ut\":-1}]").errors())
        .containsExactly(
            new RecordError(0, "ut", "update time -1.0 is not a period of seconds ≥ 0"));
  }

  @Test
  void acceptsAnOlderVersionForTheWholePack() throws DecodeException {
    assertThat(resolve("[{\"bver\":5,\"n\":\"x\",\"v\":1},{\"n\":\"y\",\"v\":1}]").records())
        .hasSize(2);
  }

  @Test
  void refusesAPackOfANewerVersion() {
    assertThatThrownBy(() -> resolve("[{\"bver\":11,\"n\":\"x\",\"v\":1}]"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo("SenML version 11 is newer than version 10 (RFC 8428 §4.4)");
              assertThat(e.location()).isEqualTo("record 0");
            });
  }

  @Test
  void refusesAVersionThatIsNotPositive() {
    assertThatThrownBy(() -> resolve("[{\"bver\":0,\"n\":\"x\",\"v\":1}]"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo("bver 0 is not a positive integer (RFC 8428 §4.1)"));
  }

  @Test
  void refusesAPackWhoseRecordsHaveDifferentVersions() {
    assertThatThrownBy(() -> resolve("[{\"n\":\"x\",\"v\":1},{\"bver\":5,\"n\":\"y\",\"v\":1}]"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo(
                      "record has version 5 but the pack started with version 10; all records of"
                          + " a pack MUST have the same version (RFC 8428 §4.4)");
              assertThat(e.location()).isEqualTo("record 1, bver");
            });
  }

  @Test
  void readsTheClockOncePerPack() throws DecodeException {
    Clock ticking = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1));
    ResolvedPack pack =
        SenmlResolver.resolve(
            List.of(
                SenmlRecord.builder().n("x").t(-1d).v(1d).build(),
                SenmlRecord.builder().n("y").t(-1d).v(1d).build()),
            ticking);

    assertThat(pack.records().get(0).time()).isEqualTo(pack.records().get(1).time());
  }
}
