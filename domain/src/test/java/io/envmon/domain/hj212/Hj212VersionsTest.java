package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("HJ 212-2025 beside HJ 212-2017 and HJ/T 212-2005: versions, RF=1, SM4")
class Hj212VersionsTest {

  /** HJ 212-2025 appendix A.1, the CRC example (docs/standards.md §7). */
  static final String APPENDIX_A1 =
      "##0087QN=20240601085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=9;"
          + "CP=&&&&2200\r\n";

  /** HJ 212-2025 appendix A.2, the plaintext of the example whose last 3 characters stay plain. */
  static final String APPENDIX_A2_PLAIN =
      "##0234QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;"
          + "CP=&&DataTime=20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,"
          + "a01011-Flag=N;a01014-Min=3.20,a01014-Avg=3.20,a01014-Max=3.20,a01014-Flag=N&&B541\r\n";

  /** Appendix A.2's test key: sixteen 0x30. */
  static final byte[] TEST_KEY = Hj212Sm4.parseKey("0000000000000000");

  static final byte[] OTHER_KEY = Hj212Sm4.parseKey("0123456789abcdeffedcba9876543210");

  static byte[] bytes(String text) {
    return text.getBytes(ISO_8859_1);
  }

  static String text(byte[] bytes) {
    return new String(bytes, ISO_8859_1);
  }

  @Test
  void appendixA1DecodesAsHj2122025AskingForAReply() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(bytes(APPENDIX_A1));

    assertThat(packet.version()).isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(packet.asksForReply()).isTrue();
    assertThat(packet.isSplit()).isFalse();
    assertThat(packet.cn()).isEqualTo("1011");
    assertThat(packet.resent()).isFalse();
    assertThat(Hj212Crc.hex(Hj212Crc.crc16(bytes(APPENDIX_A1.substring(6, 93))))).isEqualTo("2200");
  }

  @Test
  void appendixA2PlaintextDecodesAndMapsItsCrcChecks() throws DecodeException {
    Hj212Packet packet = Hj212Codec.decodeFrame(bytes(APPENDIX_A2_PLAIN));

    assertThat(packet.version()).isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(packet.cn()).isEqualTo("2051");
    assertThat(packet.cp().factor("a01011").orElseThrow().fields()).containsEntry("Avg", "1.35");
    assertThat(Hj212Codec.encode(packet)).isEqualTo(bytes(APPENDIX_A2_PLAIN));
  }

  @Test
  void theVersionComesFromFlagBits2To7() throws DecodeException {
    String segment = "QN=20240601085857223;ST=22;CN=1011;PW=123456;MN=M1;Flag=%d;CP=&&&&";
    int[][] flagsAndVersions = {{0, 0}, {1, 0}, {4, 1}, {5, 1}, {8, 2}, {9, 2}};
    for (int[] flagAndVersion : flagsAndVersions) {
      Hj212Packet packet =
          Hj212Codec.decodeFrame(Hj212CodecTest.frame(String.format(segment, flagAndVersion[0])));
      assertThat(packet.version().bits()).isEqualTo(flagAndVersion[1]);
      assertThat(packet.asksForReply()).isEqualTo((flagAndVersion[0] & 1) == 1);
    }
    DecodeException e = Hj212CodecTest.failure(Hj212CodecTest.frame(String.format(segment, 13)));
    assertThat(e.reason())
        .isEqualTo(
            "Flag 13 names protocol version 3 in bits 2–7; known: 0 HJ/T 212-2005, 1 HJ 212-2017,"
                + " 2 HJ 212-2025");
  }

  @Test
  void aSplit2025PacketNeedsPnumAndPno() throws DecodeException {
    String segment =
        "QN=20240601085857223;ST=22;CN=2051;PW=123456;MN=M1;Flag=11;PNUM=2;PNO=1;"
            + "CP=&&DataTime=20240601080000&&";
    Hj212Packet packet = Hj212Codec.decodeFrame(Hj212CodecTest.frame(segment));
    assertThat(packet.isSplit()).isTrue();
    assertThat(packet.version()).isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(
            Hj212CodecTest.failure(Hj212CodecTest.frame(segment.replace("PNUM=2;PNO=1;", "")))
                .reason())
        .isEqualTo("Flag 11 marks a split packet but PNUM is missing");
  }

  @Test
  void eachPacketIsAnsweredInItsOwnVersion() throws DecodeException {
    String segment = "QN=20240601085857223;ST=22;CN=2011;PW=123456;MN=M1;Flag=%d;CP=&&&&";
    String[][] cases = {
      {"1", "Flag=0;"}, {"5", "Flag=4;"}, {"9", "Flag=8;"}, {"11", "Flag=8;"},
    };
    for (String[] c : cases) {
      String requestSegment =
          String.format(segment, Integer.parseInt(c[0]))
              .replace("Flag=11;", "Flag=11;PNUM=2;PNO=2;");
      Hj212Packet request = Hj212Codec.decodeFrame(Hj212CodecTest.frame(requestSegment));
      String reply = text(Hj212Codec.dataResponse(request));
      assertThat(reply)
          .contains("QN=20240601085857223;ST=91;CN=9014;PW=123456;MN=M1;" + c[1] + "CP=&&&&");
      assertThat(Hj212Codec.decodeFrame(bytes(reply)).version()).isEqualTo(request.version());
    }
  }

  @Test
  void aHeartbeatIsAnsweredWithANotificationResponse() throws DecodeException {
    Hj212Packet heartbeat =
        Hj212Codec.decodeFrame(
            Hj212CodecTest.frame(
                "QN=20260102080000000;ST=22;CN=9015;PW=123456;MN=M1;Flag=9;CP=&&&&"));
    assertThat(text(Hj212Codec.notificationResponse(heartbeat)))
        .contains("QN=20260102080000000;ST=91;CN=9013;PW=123456;MN=M1;Flag=8;CP=&&&&");
  }

  @Test
  void rf1MarksARe_sentPacketAndItsReadingAsBackfilled() throws DecodeException {
    String segment =
        "QN=20260102080000000;ST=22;CN=2061;PW=123456;MN=M1;Flag=9;RF=1;"
            + "CP=&&DataTime=20260102070000;a34004-Avg=35.2,a34004-Flag=N&&";
    Hj212Packet packet = Hj212Codec.decodeFrame(Hj212CodecTest.frame(segment));
    assertThat(packet.resent()).isTrue();
    assertThat(text(Hj212Codec.encode(packet))).contains(";Flag=9;RF=1;CP=&&");

    Reading reading = Hj212ReadingMapper.toReadings(packet, "p1").readings().get(0);
    assertThat(reading.backfilled()).isTrue();
    assertThat(reading.measurement(Parameter.PM25).orElseThrow().value()).isEqualTo(35.2);

    Hj212Packet live = Hj212Codec.decodeFrame(Hj212CodecTest.frame(segment.replace("RF=1;", "")));
    assertThat(live.resent()).isFalse();
    assertThat(Hj212ReadingMapper.toReadings(live, "p1").readings().get(0).backfilled()).isFalse();
    assertThat(Hj212ReadingMapper.toReadings(live, "p1").readings().get(0).readingId())
        .isEqualTo(reading.readingId());

    assertThat(
            Hj212CodecTest.failure(Hj212CodecTest.frame(segment.replace("RF=1", "RF=0"))).reason())
        .isEqualTo("RF \"0\" is not 1 (re-sent); live data has no RF");
  }

  @Test
  void appendixA2EncryptsAsTheStandardPrintsIt() throws DecodeException {
    // The standard prints this example as CP=&&{0xE4,0x3E,…,0x03,0xA4}g=N&&B541 with the
    // plaintext's length 0234 and CRC B541 (HJ 212-2025 appendix A.2).
    String encrypted = text(Hj212Sm4.encrypt(bytes(APPENDIX_A2_PLAIN), TEST_KEY));

    assertThat(encrypted).startsWith("##0234QN=20240520210700000;").contains(";CP=&&{0xE4,0x3E,");
    assertThat(encrypted).endsWith(",0x03,0xA4}g=N&&B541\r\n");
    // 147 characters: 9 groups of 16 encrypted, "g=N" left plain.
    String groups = encrypted.substring(encrypted.indexOf('{') + 1, encrypted.indexOf('}'));
    assertThat(groups.split(",")).hasSize(144);
    assertThat(Hj212Sm4.isEncrypted(bytes(encrypted))).isTrue();
    assertThat(Hj212Sm4.isEncrypted(bytes(APPENDIX_A2_PLAIN))).isFalse();

    byte[] decrypted = Hj212Sm4.decrypt(bytes(encrypted), TEST_KEY);
    assertThat(text(decrypted)).isEqualTo(APPENDIX_A2_PLAIN);
    assertThat(Hj212Codec.decodeFrame(decrypted).cn()).isEqualTo("2051");
  }

  @Test
  void sm4RoundTripWithAStationKeyAndAWrongKeyFailsTheCrc() throws DecodeException {
    byte[] plain =
        Hj212CodecTest.frame(
            "QN=20260102080000000;ST=22;CN=2011;PW=123456;MN=M1;Flag=9;"
                + "CP=&&DataTime=20260102080000;a34004-Rtd=35.2,a34004-Flag=N;"
                + "a34002-Rtd=80,a34002-Flag=N&&");
    byte[] encrypted = Hj212Sm4.encrypt(plain, OTHER_KEY);
    assertThat(text(encrypted)).doesNotContain("a34004");
    assertThat(Hj212Sm4.headerField(encrypted, "MN")).contains("M1");
    assertThat(Hj212Sm4.headerField(encrypted, "Flag")).contains("9");

    assertThat(Hj212Sm4.decrypt(encrypted, OTHER_KEY)).isEqualTo(plain);
    byte[] wrong = Hj212Sm4.decrypt(encrypted, TEST_KEY);
    assertThat(Hj212CodecTest.failure(wrong).reason()).startsWith("CRC mismatch");
  }

  @Test
  void aDataAreaShorterThan16CharactersStaysPlain() {
    byte[] plain =
        Hj212CodecTest.frame("QN=20260102080000000;ST=22;CN=9015;PW=1;MN=M1;Flag=9;CP=&&&&");
    assertThat(Hj212Sm4.encrypt(plain, TEST_KEY)).isEqualTo(plain);
  }

  @Test
  void malformedEncryptedDataAreasAreRefusedWithAReason() {
    String head = "##0100QN=20260102080000000;ST=22;CN=2011;PW=1;MN=M1;Flag=9;CP=&&";
    assertThatThrownBy(() -> Hj212Sm4.decrypt(bytes(head + "{0xE4,0x3E}&&0000\r\n"), TEST_KEY))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("holds 2 bytes, not whole groups of 16");
    assertThatThrownBy(() -> Hj212Sm4.decrypt(bytes(head + "{0xE4,E3}&&0000\r\n"), TEST_KEY))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("\"E3\" is not 0xNN");
    assertThatThrownBy(() -> Hj212Sm4.decrypt(bytes(head + "{0xE4&&0000\r\n"), TEST_KEY))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not closed by }");
    assertThatThrownBy(() -> Hj212Sm4.parseKey("short"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEncryptedPacketIsFramedWholeThoughItsLengthFieldIsThePlaintexts() {
    byte[] encrypted = Hj212Sm4.encrypt(bytes(APPENDIX_A2_PLAIN), TEST_KEY);
    byte[] stream =
        bytes(text(encrypted) + APPENDIX_A1 + text(encrypted)); // encrypted, plain, encrypted
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();
    List<FrameEvent> events = new ArrayList<>();
    for (int i = 0; i < stream.length; i += 7) {
      events.addAll(decoder.feed(stream, i, Math.min(7, stream.length - i)));
    }
    assertThat(events).hasSize(3).allMatch(e -> e instanceof FrameEvent.Frame);
    assertThat(((FrameEvent.Frame) events.get(0)).bytes()).isEqualTo(encrypted);
    assertThat(((FrameEvent.Frame) events.get(1)).bytes()).isEqualTo(bytes(APPENDIX_A1));
    assertThat(((FrameEvent.Frame) events.get(2)).bytes()).isEqualTo(encrypted);
  }
}
