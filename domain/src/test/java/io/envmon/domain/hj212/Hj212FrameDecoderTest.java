package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.hj212.FrameEvent.Frame;
import io.envmon.domain.hj212.FrameEvent.FramingError;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HJ 212 framing of a TCP stream")
class Hj212FrameDecoderTest {

  static final byte[] KNOWN = Hj212CodecTest.KNOWN_PACKET.getBytes(ISO_8859_1);
  static final byte[] REAL_TIME = Hj212CodecTest.frame(Hj212CodecTest.REAL_TIME_SEGMENT);

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] ascii(String text) {
    return text.getBytes(ISO_8859_1);
  }

  static List<FrameEvent> feedInChunks(Hj212FrameDecoder decoder, byte[] stream, int chunkSize) {
    List<FrameEvent> events = new ArrayList<>();
    for (int i = 0; i < stream.length; i += chunkSize) {
      events.addAll(decoder.feed(stream, i, Math.min(chunkSize, stream.length - i)));
    }
    return events;
  }

  @Test
  void yieldsAPacketFedWhole() {
    assertThat(new Hj212FrameDecoder().feed(KNOWN)).containsExactly(new Frame(KNOWN, 0));
  }

  @Test
  void yieldsAPacketFedOneByteAtATime() {
    assertThat(feedInChunks(new Hj212FrameDecoder(), KNOWN, 1))
        .containsExactly(new Frame(KNOWN, 0));
  }

  @Test
  void yieldsSeveralPacketsFromOneChunk() {
    byte[] stream = concat(KNOWN, REAL_TIME, KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new Frame(KNOWN, 0),
            new Frame(REAL_TIME, KNOWN.length),
            new Frame(KNOWN, KNOWN.length + REAL_TIME.length));
  }

  @Test
  void yieldsTheSamePacketsWhateverTheChunkSize() {
    byte[] stream = concat(KNOWN, REAL_TIME, KNOWN, REAL_TIME);
    List<FrameEvent> whole = new Hj212FrameDecoder().feed(stream);

    for (int chunkSize = 1; chunkSize <= stream.length; chunkSize++) {
      assertThat(feedInChunks(new Hj212FrameDecoder(), stream, chunkSize))
          .as("chunk size %d", chunkSize)
          .isEqualTo(whole);
    }
  }

  @Test
  void waitsForTheRestOfAPacket() {
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();

    assertThat(decoder.feed(KNOWN, 0, 50)).isEmpty();
    assertThat(decoder.feed(KNOWN, 50, KNOWN.length - 50)).containsExactly(new Frame(KNOWN, 0));
  }

  @Test
  void reportsGarbageAndKeepsTheFollowingPacket() {
    byte[] stream = concat(ascii("hello\r\n"), KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("bytes outside any packet (no ## before them)", 0, 7),
            new Frame(KNOWN, 7));
  }

  @Test
  void reportsGarbageAsSoonAsItIsKnownNotToStartAPacket() {
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();

    assertThat(decoder.feed(ascii("abc#")))
        .containsExactly(new FramingError("bytes outside any packet (no ## before them)", 0, 3));
    assertThat(decoder.feed(KNOWN, 1, KNOWN.length - 1)).containsExactly(new Frame(KNOWN, 3));
  }

  @Test
  void resynchronisesAfterALengthThatIsNotDigits() {
    byte[] stream = concat(ascii("##AB"), KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("data length after ## is not 4 decimal digits", 0, 4),
            new Frame(KNOWN, 4));
  }

  @Test
  void mergesARunOfHashesIntoOneError() {
    byte[] stream = concat(ascii("#####"), KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("data length after ## is not 4 decimal digits", 0, 5),
            new Frame(KNOWN, 5));
  }

  @Test
  void refusesADeclaredLengthAboveTheMaximum() {
    byte[] stream = concat(ascii("##5000"), KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("declared data length 5000 exceeds the maximum 4096", 0, 6),
            new Frame(KNOWN, 6));
  }

  @Test
  void takesItsMaximumFromTheConstructor() {
    assertThat(new Hj212FrameDecoder(100).feed(KNOWN))
        .containsExactly(
            new FramingError("declared data length 101 exceeds the maximum 100", 0, 113));
  }

  @Test
  void refusesAMaximumAbove9999() {
    assertThatThrownBy(() -> new Hj212FrameDecoder(10_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsAPacketThatInterruptsATruncatedOne() {
    byte[] truncated = Arrays.copyOf(KNOWN, 40);
    byte[] stream = concat(truncated, KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("packet interrupted by ## at stream offset 40", 0, 40),
            new Frame(KNOWN, 40));
  }

  @Test
  void reportsAPacketWithoutCrLfAtItsDeclaredEnd() {
    byte[] withoutCrLf = Arrays.copyOf(KNOWN, KNOWN.length - 2);
    byte[] stream = concat(withoutCrLf, ascii("xy"), KNOWN);

    assertThat(new Hj212FrameDecoder().feed(stream))
        .containsExactly(
            new FramingError("no CR LF where the declared data length 101 ends the packet", 0, 113),
            new Frame(KNOWN, 113));
  }

  @Test
  void passesOnAPacketShorterThanDeclaredForTheCodecToReport() {
    byte[] tooShort = ascii("##0200QN=1;CP=&&&&ABCD\r\n");

    assertThat(new Hj212FrameDecoder().feed(concat(tooShort, KNOWN)))
        .containsExactly(new Frame(tooShort, 0), new Frame(KNOWN, tooShort.length));
  }

  @Test
  void reportsAnUnfinishedPacketWhenTheConnectionCloses() {
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();
    decoder.feed(KNOWN, 0, 30);

    assertThat(decoder.finish())
        .containsExactly(new FramingError("connection closed inside a packet", 0, 30));
  }

  @Test
  void turnsAFramingErrorIntoADecodeException() {
    FramingError error = new FramingError("bytes outside any packet (no ## before them)", 42, 3);

    assertThat(error.toDecodeException().location()).isEqualTo("stream offset 42");
  }
}
