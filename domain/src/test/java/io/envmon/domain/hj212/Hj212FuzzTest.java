package io.envmon.domain.hj212;

import static io.envmon.domain.Fuzz.ascii;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Fuzz;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, the HJ 212 decoders answer with packets, frames, readings or a {@link
 * DecodeException}: never another exception, never a lost valid packet after garbage.
 */
@DisplayName("HJ 212 decoders under random and mutated input")
class Hj212FuzzTest {

  static final int ITERATIONS = Fuzz.iterations(20_000);
  static final String POINT = "wujiang-air-01";

  static final List<String> SEGMENTS =
      List.of(
          Hj212CrcTest.KNOWN_SEGMENT,
          Hj212CodecTest.REAL_TIME_SEGMENT,
          "QN=20251121090000000;ST=21;CN=2061;PW=123456;MN=TPW01;Flag=4;CP=&&DataTime=20251121080000;"
              + "w01001-Min=7.1,w01001-Avg=7.2,w01001-Max=7.3,w01001-Flag=N;w21003-Avg=0.5;"
              + "w01010-Avg=-0.5,w01010-Flag=M&&",
          "QN=20251121090000000;ST=22;CN=2051;PW=123456;MN=A;Flag=7;PNUM=2;PNO=1;"
              + "CP=&&DataTime=20251121085900;a21026-Avg=12,a21026-Flag=C;a05024-Avg=160&&",
          "QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&");

  static final List<byte[]> FRAME_CORPUS = SEGMENTS.stream().map(Hj212CodecTest::frame).toList();
  static final List<byte[]> SEGMENT_CORPUS = SEGMENTS.stream().map(Fuzz::ascii).toList();

  static final List<String> SEGMENT_ALPHABET =
      List.of(
          "QN=",
          "ST=",
          "CN=",
          "PW=",
          "MN=",
          "Flag=",
          "PNUM=",
          "PNO=",
          "CP=&&",
          "&&",
          ";",
          ",",
          "=",
          "-",
          "DataTime=",
          "a34004",
          "w01001",
          "a99999",
          "-Rtd",
          "-Avg",
          "-Flag",
          "Rtd",
          "N",
          "D",
          "X",
          "20251121080000",
          "20161332250000",
          "20160801085857223",
          "22",
          "2011",
          "2061",
          "9014",
          "5",
          "7",
          "255",
          "256",
          "1",
          "2",
          "35.2",
          "-0.5",
          "NaN",
          "1e5",
          "",
          "#",
          "\r\n",
          "\u00ff",
          " ");

  static byte[] randomSegment(Random random) {
    return Fuzz.randomTokens(random, SEGMENT_ALPHABET, 40);
  }

  /** A packet around any bytes, with the right length and CRC, so that the parser is reached. */
  static byte[] frameAround(byte[] segment) {
    if (segment.length > Hj212Codec.MAX_DATA_LENGTH) {
      segment = Arrays.copyOf(segment, Hj212Codec.MAX_DATA_LENGTH);
    }
    return Fuzz.concat(
        ascii(String.format("##%04d", segment.length)),
        segment,
        ascii(Hj212Crc.hex(Hj212Crc.crc16(segment)) + "\r\n"));
  }

  /** Decodes, maps data packets to readings, and checks that a packet writes back the same. */
  static void decodeAndMap(byte[] frame) throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(frame);
    assertThat(Hj212Codec.decodeFrame(Hj212Codec.encode(packet))).isEqualTo(packet);
    if (DataCommand.byCn(packet.cn()).isEmpty() || packet.cp().dataTime() == null) {
      return;
    }
    Hj212DecodeResult result = Hj212ReadingMapper.toReadings(packet, POINT);
    int measurements = 0;
    for (Reading reading : result.readings()) {
      assertThat(reading.pointId()).isEqualTo(POINT);
      assertThat(reading.observedAt()).isEqualTo(packet.cp().dataTime());
      for (Measurement measurement : reading.measurements()) {
        assertThat(measurement.value()).isFinite();
      }
      measurements += reading.measurements().size();
    }
    assertThat(result.readings()).hasSizeLessThanOrEqualTo(1);
    assertThat(measurements + result.errors().size()).isEqualTo(packet.cp().factors().size());
  }

  @Test
  void packetDecoderSurvivesRandomBytes() {
    Fuzz.run(
        "HJ 212 packet, random bytes",
        Fuzz.seed(212_1001L),
        ITERATIONS,
        random -> Fuzz.randomBytes(random, 200),
        Hj212FuzzTest::decodeAndMap);
  }

  @Test
  void packetDecoderSurvivesRandomBytesBetweenHeaderAndTrailer() {
    Fuzz.run(
        "HJ 212 packet, random framed bytes",
        Fuzz.seed(212_1002L),
        ITERATIONS,
        random ->
            Fuzz.concat(
                ascii(String.format("##%04d", random.nextInt(10_000))),
                Fuzz.randomBytes(random, 150),
                ascii(String.format("%04X\r\n", random.nextInt(1 << 16)))),
        Hj212FuzzTest::decodeAndMap);
  }

  @Test
  void packetDecoderSurvivesMutatedPackets() {
    Fuzz.run(
        "HJ 212 packet, mutated packets",
        Fuzz.seed(212_1003L),
        ITERATIONS,
        random -> Fuzz.mutate(random, FRAME_CORPUS),
        Hj212FuzzTest::decodeAndMap);
  }

  @Test
  void packetDecoderSurvivesMutatedDataSegmentsWithAValidCrc() {
    Fuzz.Outcome outcome =
        Fuzz.run(
            "HJ 212 packet, mutated data segments",
            Fuzz.seed(212_1004L),
            ITERATIONS,
            random -> frameAround(Fuzz.mutate(random, SEGMENT_CORPUS)),
            Hj212FuzzTest::decodeAndMap);
    assertThat(outcome.decoded()).as("packets that still decode").isPositive();
  }

  @Test
  void packetDecoderSurvivesRandomDataSegmentsWithAValidCrc() {
    Fuzz.run(
        "HJ 212 packet, random data segments",
        Fuzz.seed(212_1005L),
        ITERATIONS,
        random -> frameAround(randomSegment(random)),
        Hj212FuzzTest::decodeAndMap);
  }

  static final byte[] SM4_KEY = Hj212Sm4.parseKey("0000000000000000");

  static final List<byte[]> ENCRYPTED_CORPUS =
      FRAME_CORPUS.stream()
          .filter(frame -> !Hj212Sm4.isEncrypted(frame))
          .map(frame -> Hj212Sm4.encrypt(frame, SM4_KEY))
          .toList();

  @Test
  void sm4DecryptionSurvivesMutatedEncryptedPackets() {
    Fuzz.run(
        "HJ 212-2025 SM4, mutated encrypted packets",
        Fuzz.seed(212_3001L),
        ITERATIONS,
        random -> Fuzz.mutate(random, ENCRYPTED_CORPUS),
        frame -> {
          Hj212Sm4.isEncrypted(frame);
          Hj212Sm4.headerField(frame, "MN");
          decodeAndMap(Hj212Sm4.decrypt(frame, SM4_KEY));
        });
  }

  @Test
  void frameDecoderSurvivesRandomStreamsInRandomChunks() {
    Fuzz.run(
        "HJ 212 framing, random streams",
        Fuzz.seed(212_2001L),
        ITERATIONS / 10,
        Hj212FuzzTest::randomStream,
        stream -> {
          Random random = new Random(Arrays.hashCode(stream));
          Hj212FrameDecoder decoder =
              random.nextBoolean()
                  ? new Hj212FrameDecoder(random.nextInt(Hj212Codec.MAX_DATA_LENGTH + 1))
                  : new Hj212FrameDecoder();
          frameInRandomChunks(stream, random, decoder);
        });
  }

  @Test
  void frameDecoderKeepsEveryValidPacketAfterGarbage() {
    long seed = Fuzz.seed(212_2002L);
    Random random = new Random(seed);
    for (int iteration = 0; iteration < ITERATIONS / 10; iteration++) {
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      List<byte[]> sent = new ArrayList<>();
      int parts = 1 + random.nextInt(10);
      for (int part = 0; part < parts; part++) {
        if (random.nextBoolean()) {
          stream.writeBytes(garbageWithoutHashes(random));
        }
        byte[] packet = FRAME_CORPUS.get(random.nextInt(FRAME_CORPUS.size()));
        stream.writeBytes(packet);
        sent.add(packet);
      }
      byte[] bytes = stream.toByteArray();
      try {
        List<FrameEvent> events = frameInRandomChunks(bytes, random, new Hj212FrameDecoder());
        List<byte[]> received = new ArrayList<>();
        for (FrameEvent event : events) {
          if (event instanceof FrameEvent.Frame frame) {
            try {
              Hj212Codec.decodeFrame(frame.bytes());
              received.add(frame.bytes());
            } catch (DecodeException e) {
              // garbage that happened to look like a packet
            }
          }
        }
        assertThat(received).containsExactlyElementsOf(sent);
      } catch (Throwable t) {
        throw new AssertionError(
            "seed "
                + seed
                + " (rerun with -Denvmon.fuzz.seed="
                + seed
                + "), iteration "
                + iteration
                + ", stream "
                + HexFormat.of().formatHex(bytes)
                + ": "
                + t,
            t);
      }
    }
  }

  private static byte[] garbageWithoutHashes(Random random) {
    byte[] garbage = Fuzz.randomBytes(random, 40);
    for (int i = 0; i < garbage.length; i++) {
      if (garbage[i] == '#') {
        garbage[i] = '$';
      }
    }
    return garbage;
  }

  /** Valid, mutated, truncated packets and garbage, one after another. */
  private static byte[] randomStream(Random random) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    int parts = 1 + random.nextInt(10);
    for (int part = 0; part < parts; part++) {
      byte[] packet = FRAME_CORPUS.get(random.nextInt(FRAME_CORPUS.size()));
      switch (random.nextInt(5)) {
        case 0 -> stream.writeBytes(packet);
        case 1 -> stream.writeBytes(Fuzz.mutate(random, FRAME_CORPUS));
        case 2 -> stream.writeBytes(Arrays.copyOf(packet, random.nextInt(packet.length)));
        case 3 -> stream.writeBytes(Fuzz.randomBytes(random, 60));
        default -> stream.writeBytes(ascii("##" + String.format("%04d", random.nextInt(10_000))));
      }
    }
    return stream.toByteArray();
  }

  /**
   * Feeds {@code stream} in random chunks, checks that every byte is accounted for exactly once and
   * that every frame runs from ## to CR LF, and returns the events.
   */
  private static List<FrameEvent> frameInRandomChunks(
      byte[] stream, Random random, Hj212FrameDecoder decoder) {
    List<FrameEvent> events = new ArrayList<>();
    int position = 0;
    while (position < stream.length) {
      int chunk = 1 + random.nextInt(Math.min(64, stream.length - position));
      events.addAll(decoder.feed(stream, position, chunk));
      position += chunk;
    }
    events.addAll(decoder.finish());
    long expectedOffset = 0;
    for (FrameEvent event : events) {
      assertThat(event.streamOffset()).isEqualTo(expectedOffset);
      if (event instanceof FrameEvent.Frame frame) {
        byte[] bytes = frame.bytes();
        assertThat(new String(bytes, 0, 2, ISO_8859_1)).isEqualTo("##");
        assertThat(new String(bytes, bytes.length - 2, 2, ISO_8859_1)).isEqualTo("\r\n");
        assertThat(bytes)
            .isEqualTo(
                Arrays.copyOfRange(
                    stream, (int) expectedOffset, (int) expectedOffset + bytes.length));
        assertThat(bytes.length).isLessThanOrEqualTo(decoder.maxDataLength() + 12);
        expectedOffset += bytes.length;
      } else if (event instanceof FrameEvent.FramingError error) {
        assertThat(error.discardedBytes()).isPositive();
        expectedOffset += error.discardedBytes();
      }
    }
    assertThat(expectedOffset).isEqualTo(stream.length);
    return events;
  }
}
