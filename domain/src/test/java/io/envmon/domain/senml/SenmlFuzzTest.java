package io.envmon.domain.senml;

import static io.envmon.domain.Fuzz.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.envmon.domain.DecodeException;
import io.envmon.domain.Fuzz;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, the SenML decoders answer with records, readings or a {@link
 * DecodeException}: never another exception, never an invented value.
 */
@DisplayName("SenML decoders under random and mutated input")
class SenmlFuzzTest {

  static final int ITERATIONS = Fuzz.iterations(20_000);
  static final String POINT = "wujiang-air-01";
  static final SenmlReadingDecoder DECODER =
      new SenmlReadingDecoder(Clock.fixed(Instant.parse("2025-11-21T08:00:00Z"), ZoneOffset.UTC));

  static final List<byte[]> JSON_CORPUS =
      List.of(
          ascii(SenmlJsonTest.ARCHITECTURE_EXAMPLE),
          ascii(
              "[{\"bn\":\"wujiang-air-01:\",\"bt\":1.7636832001e+09,\"bu\":\"ug/m3\",\"bver\":10,"
                  + "\"n\":\"pm25\",\"v\":35.2,\"flag\":\"D\"},{\"n\":\"co\",\"u\":\"mg/m3\",\"t\":-5,"
                  + "\"v\":0.8},{\"n\":\"o3\",\"t\":60,\"v\":160,\"ut\":3600}]"),
          ascii(
              "[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1},"
                  + "{\"n\":\"label\",\"vs\":\"Machine Room\"},{\"n\":\"open\",\"vb\":false},"
                  + "{\"n\":\"nfv-reader\",\"vd\":\"aGkgCg\"},{\"bs\":5,\"n\":\"e\",\"s\":1e3}]"),
          ascii(
              "[{\"bn\":\"wujiang-air-01:\",\"bv\":10,\"n\":\"pm10\",\"bt\":1763683200,\"v\":0.5,\"x_y\":[1,{\"a\":null}]}]"));

  static final List<byte[]> CBOR_CORPUS = cborCorpus();

  static final List<String> JSON_ALPHABET =
      List.of(
          "[",
          "]",
          "{",
          "}",
          ",",
          ":",
          "\"",
          "\"bn\"",
          "\"bt\"",
          "\"bu\"",
          "\"bv\"",
          "\"bs\"",
          "\"bver\"",
          "\"n\"",
          "\"u\"",
          "\"v\"",
          "\"vs\"",
          "\"vb\"",
          "\"vd\"",
          "\"s\"",
          "\"t\"",
          "\"ut\"",
          "\"flag\"",
          "\"wujiang-air-01:\"",
          "\"pm25\"",
          "\"D\"",
          "\"ug/m3\"",
          "0",
          "1",
          "-",
          ".",
          "e",
          "E",
          "+",
          "35.2",
          "1763683200",
          "1e999",
          "268435456",
          "-5",
          "true",
          "false",
          "null",
          " ",
          "\\",
          "\\u0000",
          "é",
          "aGk");

  private static List<byte[]> cborCorpus() {
    List<byte[]> corpus = new ArrayList<>();
    for (byte[] json : JSON_CORPUS) {
      try {
        corpus.add(SenmlCbor.encode(SenmlJson.decode(json)));
      } catch (DecodeException e) {
        throw new AssertionError(e);
      }
    }
    corpus.add(HexFormat.of().parseHex(SenmlCborTest.RFC_8428_SECTION_6_EXAMPLE.replace(" ", "")));
    return corpus;
  }

  /** A successful decode may only yield readings of the point, with finite values. */
  static void checkReadings(SenmlDecodeResult result, int recordCount, Source source) {
    int measurements = 0;
    for (Reading reading : result.readings()) {
      assertThat(reading.pointId()).isEqualTo(POINT);
      assertThat(reading.source()).isEqualTo(source);
      assertThat(reading.readingId()).isEqualTo(Reading.idFor(POINT, reading.observedAt()));
      assertThat(reading.measurements()).isNotEmpty();
      for (Measurement measurement : reading.measurements()) {
        assertThat(measurement.value()).isFinite();
      }
      measurements += reading.measurements().size();
    }
    assertThat(measurements).isLessThanOrEqualTo(recordCount);
  }

  static void decodeJsonToReadings(byte[] input) throws DecodeException {
    List<SenmlRecord> records = SenmlJson.decode(input);
    checkReadings(DECODER.decode(records, POINT, Source.MQTT), records.size(), Source.MQTT);
  }

  static void decodeCborToReadings(byte[] input) throws DecodeException {
    List<SenmlRecord> records = SenmlCbor.decode(input);
    checkReadings(DECODER.decode(records, POINT, Source.COAP), records.size(), Source.COAP);
  }

  @Test
  void jsonDecoderSurvivesRandomBytes() {
    var outcome =
        Fuzz.run(
            "SenML JSON, random bytes",
            Fuzz.seed(8428_5001L),
            ITERATIONS,
            random -> Fuzz.randomBytes(random, 200),
            SenmlFuzzTest::decodeJsonToReadings);
  }

  @Test
  void jsonDecoderSurvivesRandomJsonTokens() {
    var outcome =
        Fuzz.run(
            "SenML JSON, random tokens",
            Fuzz.seed(8428_5002L),
            ITERATIONS,
            random -> Fuzz.randomTokens(random, JSON_ALPHABET, 60),
            SenmlFuzzTest::decodeJsonToReadings);
  }

  @Test
  void jsonDecoderSurvivesMutatedPacks() {
    var outcome =
        Fuzz.run(
            "SenML JSON, mutated packs",
            Fuzz.seed(8428_5003L),
            ITERATIONS,
            random -> Fuzz.mutate(random, JSON_CORPUS),
            SenmlFuzzTest::decodeJsonToReadings);
    assertThat(outcome.decoded()).as("packs that still decode").isPositive();
  }

  @Test
  void cborDecoderSurvivesRandomBytes() {
    var outcome =
        Fuzz.run(
            "SenML CBOR, random bytes",
            Fuzz.seed(8428_6001L),
            ITERATIONS,
            random -> Fuzz.randomBytes(random, 200),
            SenmlFuzzTest::decodeCborToReadings);
  }

  @Test
  void cborDecoderSurvivesMutatedPacks() {
    var outcome =
        Fuzz.run(
            "SenML CBOR, mutated packs",
            Fuzz.seed(8428_6002L),
            ITERATIONS,
            random -> Fuzz.mutate(random, CBOR_CORPUS),
            SenmlFuzzTest::decodeCborToReadings);
    assertThat(outcome.decoded()).as("packs that still decode").isPositive();
  }

  @Test
  void jsonDecoderSurvivesRandomlyBuiltRecords() {
    Fuzz.Outcome outcome =
        Fuzz.run(
            "SenML JSON, random records",
            Fuzz.seed(8428_5004L),
            ITERATIONS,
            random -> randomWirePack(random, false),
            SenmlFuzzTest::decodeJsonToReadings);
    assertThat(outcome.decoded()).as("packs that decode").isPositive();
  }

  @Test
  void cborDecoderSurvivesRandomlyBuiltRecords() {
    Fuzz.Outcome outcome =
        Fuzz.run(
            "SenML CBOR, random records",
            Fuzz.seed(8428_6003L),
            ITERATIONS,
            random -> randomWirePack(random, true),
            SenmlFuzzTest::decodeCborToReadings);
    assertThat(outcome.decoded()).as("packs that decode").isPositive();
  }

  private static final String[] JSON_KEYS = {
    "bn", "bt", "bu", "bv", "bs", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut", "flag",
    "ct", "x_", "v", "n"
  };

  /** A syntactically valid pack of random labels and values of random types. */
  private static byte[] randomWirePack(Random random, boolean cbor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator =
        cbor ? new CBORFactory().createGenerator(out) : new JsonFactory().createGenerator(out)) {
      generator.writeStartArray();
      int records = random.nextInt(5);
      for (int r = 0; r < records; r++) {
        generator.writeStartObject();
        int fields = random.nextInt(7);
        for (int f = 0; f < fields; f++) {
          String key = JSON_KEYS[random.nextInt(JSON_KEYS.length)];
          if (cbor && random.nextInt(5) != 0) {
            SenmlLabel label = SenmlLabel.byJsonLabel(key).orElse(null);
            if (label != null && label.cborLabel().isPresent()) {
              generator.writeFieldId(label.cborLabel().get());
            } else {
              generator.writeFieldId(random.nextInt(20) - 10);
            }
          } else {
            generator.writeFieldName(key);
          }
          writeRandomValue(generator, random);
        }
        generator.writeEndObject();
      }
      generator.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeRandomValue(JsonGenerator generator, Random random) throws IOException {
    switch (random.nextInt(9)) {
      case 0, 1 -> generator.writeString(text(random));
      case 2, 3 -> {
        double number = number(random);
        if (Double.isFinite(number) || generator instanceof CBORGenerator) {
          generator.writeNumber(number);
        } else {
          generator.writeNumber(1763683200L);
        }
      }
      case 4 -> generator.writeNumber(random.nextLong());
      case 5 -> generator.writeNumber(random.nextInt(12));
      case 6 -> generator.writeBoolean(random.nextBoolean());
      case 7 -> generator.writeNull();
      default -> {
        generator.writeStartArray();
        generator.writeNumber(random.nextInt());
        generator.writeEndArray();
      }
    }
  }

  @Test
  void readingDecoderSurvivesRandomRecordsWithExtremeFields() {
    long seed = Fuzz.seed(8428_7001L);
    Random random = new Random(seed);
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      List<SenmlRecord> pack = randomPack(random);
      try {
        checkReadings(DECODER.decode(pack, POINT, Source.COAPS), pack.size(), Source.COAPS);
      } catch (DecodeException e) {
        assertThat(e.reason()).isNotBlank();
      } catch (Throwable t) {
        throw new AssertionError(
            "seed "
                + seed
                + " (rerun with -Denvmon.fuzz.seed="
                + seed
                + "), iteration "
                + iteration
                + ", pack "
                + pack
                + ": "
                + t,
            t);
      }
    }
  }

  private static final double[] NUMBERS = {
    0,
    -0.0,
    1,
    -1,
    35.2,
    0.1,
    -5.5,
    1763683200,
    1.7636832001e9,
    268435456,
    268435455.999,
    -268435456,
    1e300,
    -1e300,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.MIN_VALUE,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    9.2e18,
    -9.2e18,
    3.2e16,
    253402300800d,
    253402300799.9999
  };

  private static final String[] TEXTS = {
    "",
    "wujiang-air-01:",
    "wujiang-air-01",
    "pm25",
    ":pm25",
    "co",
    "kunshan-air-02:",
    "a b",
    "-x",
    "ug/m3",
    "mg/m3",
    "N",
    "D",
    "X",
    "é",
    "\u0000",
    "pm25:",
    "wujiang-air-01:pm25"
  };

  private static List<SenmlRecord> randomPack(Random random) {
    int size = 1 + random.nextInt(6);
    List<SenmlRecord> pack = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      SenmlRecord.Builder record = SenmlRecord.builder();
      if (random.nextInt(3) == 0) record.bn(text(random));
      if (random.nextInt(3) == 0) record.bt(number(random));
      if (random.nextInt(4) == 0) record.bu(text(random));
      if (random.nextInt(4) == 0) record.bv(number(random));
      if (random.nextInt(6) == 0) record.bs(number(random));
      if (random.nextInt(12) == 0) record.bver(random.nextInt(14) - 2);
      if (random.nextInt(4) != 0) record.n(text(random));
      if (random.nextInt(4) == 0) record.u(text(random));
      if (random.nextInt(5) != 0) record.v(number(random));
      if (random.nextInt(10) == 0) record.vs(text(random));
      if (random.nextInt(10) == 0) record.vb(random.nextBoolean());
      if (random.nextInt(10) == 0) record.vd(new byte[random.nextInt(3)]);
      if (random.nextInt(8) == 0) record.s(number(random));
      if (random.nextInt(2) == 0) record.t(number(random));
      if (random.nextInt(8) == 0) record.ut(number(random));
      if (random.nextInt(4) == 0) record.flag(text(random));
      pack.add(record.build());
    }
    return pack;
  }

  private static double number(Random random) {
    return random.nextInt(4) == 0
        ? Double.longBitsToDouble(random.nextLong())
        : NUMBERS[random.nextInt(NUMBERS.length)];
  }

  private static String text(Random random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }
}
