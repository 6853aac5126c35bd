package io.envmon.gateway.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212Crc;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.forward.DeadLetters;
import io.envmon.gateway.limits.DeviceRateLimiter;
import io.envmon.gateway.registry.PointRegistry;
import io.envmon.gateway.spool.FsyncPolicy;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.spool.SpoolReader;
import io.envmon.gateway.spool.Spooled;
import io.envmon.gateway.validation.RefusalCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HJ 212 packets of 2005, 2017 and 2025 at the gateway")
class Hj212PacketHandlerTest {

  private static final Instant NOW = Instant.parse("2026-12-02T08:00:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String POINT = "wujiang-air-01";
  private static final String PLAIN_POINT = "wujiang-air-02";
  private static final String MN = "010000A8900016F000169DC0";
  private static final String PLAIN_MN = "010000A8900016F000169DC1";
  private static final String KEY = "0123456789abcdeffedcba9876543210";
  private static final String OLD_KEY = "0000000000000000";

  @TempDir Path directory;

  private Spool spool;
  private Intake intake;
  private MockProducer<String, byte[]> deadLetterProducer;

  @BeforeEach
  void openSpool() {
    spool = Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND));
    PointRegistry registry = new PointRegistry();
    registry.put(TestPoints.air(POINT, "wujiang"));
    registry.put(TestPoints.air(PLAIN_POINT, "wujiang"));
    deadLetterProducer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    DeadLetters deadLetters =
        new DeadLetters(deadLetterProducer, "envmon.deadletter.v1", "gw-1", "wujiang", CLOCK);
    intake =
        new Intake(
            "gw-1",
            new ReadingValidator("wujiang", registry, CLOCK),
            spool,
            new RefusalCounter(),
            deadLetters,
            CLOCK);
  }

  @AfterEach
  void closeSpool() {
    spool.close();
  }

  private Hj212PacketHandler handler(String encryptedStationSettings) throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.enc.points="
            + POINT
            + "\ndevice.enc.hj212.mn="
            + MN
            + "\ndevice.enc.hj212.pw=123456\n"
            + encryptedStationSettings
            + "device.plain.points="
            + PLAIN_POINT
            + "\ndevice.plain.hj212.mn="
            + PLAIN_MN
            + "\ndevice.plain.hj212.pw=123456\n");
    return new Hj212PacketHandler(intake, DeviceCredentials.load(file), CLOCK);
  }

  private Hj212PacketHandler handler() throws Exception {
    return handler("device.enc.hj212.sm4.key=" + KEY + "\n");
  }

  /** A packet around {@code segment} with the right length and CRC. */
  private static byte[] frame(String segment) {
    byte[] data = segment.getBytes(ISO_8859_1);
    return String.format("##%04d%s%s\r\n", data.length, segment, Hj212Crc.hex(Hj212Crc.crc16(data)))
        .getBytes(ISO_8859_1);
  }

  /**
   * An hourly PM2.5 upload for 07:00 Beijing time on 2 December 2026 (23:00 UTC the day before).
   */
  private static byte[] hourly(String mn, int flag, String extraHeader) {
    return frame(
        "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
            + mn
            + ";Flag="
            + flag
            + ";"
            + extraHeader
            + "CP=&&DataTime=20261202150000;a34004-Avg=35.2,a34004-Flag=N&&");
  }

  private static Hj212Packet reply(Optional<byte[]> reply) throws DecodeException {
    assertThat(reply).as("a reply").isPresent();
    return Hj212Codec.decodeFrame(reply.get());
  }

  private List<AcceptedReading> spooled() {
    try (SpoolReader reader = spool.readerAfter(0)) {
      return reader.next(100).stream().map(Spooled::reading).toList();
    }
  }

  @Test
  void aDataPacketWithoutDataTimeIsMalformedDeadLetteredAndNotAnswered() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] packet =
        frame(
            "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=5;CP=&&a34004-Avg=35.2,a34004-Flag=N&&");

    assertThat(handler.handle(packet, "peer")).isEmpty();

    assertThat(spooled()).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.MALFORMED)).isEqualTo(1);
    assertThat(deadLetterProducer.history())
        .singleElement()
        .satisfies(letter -> assertThat(letter.key()).isEqualTo(PLAIN_POINT));
  }

  @Test
  void anEncrypted2025PacketIsDecryptedSpooledAndAnswered9014WithFlag8() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] encrypted = Hj212Sm4.encrypt(hourly(MN, 9, ""), Hj212Sm4.parseKey(KEY));

    Hj212Packet reply = reply(handler.handle(encrypted, "peer"));

    assertThat(reply.cn()).isEqualTo("9014");
    assertThat(reply.st()).isEqualTo("91");
    assertThat(reply.flag()).isEqualTo(8);
    assertThat(reply.qn()).isEqualTo("20261202160000000");
    assertThat(spooled()).hasSize(1);
    assertThat(spooled().get(0).reading().pointId()).isEqualTo(POINT);
    assertThat(spooled().get(0).reading().backfilled()).isFalse();
    assertThat(handler.decrypted()).isEqualTo(1);
    assertThat(handler.commandCounts()).containsEntry("2025 2061", 1L);
  }

  @Test
  void aPacketUnderThePreviousKeyIsDecryptedWithIt() throws Exception {
    Hj212PacketHandler handler =
        handler(
            "device.enc.hj212.sm4.key="
                + KEY
                + "\ndevice.enc.hj212.sm4.previous-key="
                + OLD_KEY
                + "\n");
    byte[] underOldKey = Hj212Sm4.encrypt(hourly(MN, 9, "RF=1;"), Hj212Sm4.parseKey(OLD_KEY));

    assertThat(reply(handler.handle(underOldKey, "peer")).cn()).isEqualTo("9014");
    assertThat(handler.decryptedWithPreviousKey()).isEqualTo(1);
    assertThat(spooled()).hasSize(1);
    assertThat(spooled().get(0).reading().backfilled()).isTrue();
  }

  @Test
  void aPacketUnderAnUnknownKeyIsRefusedMalformedWithoutReply() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] underOtherKey = Hj212Sm4.encrypt(hourly(MN, 9, ""), Hj212Sm4.parseKey(OLD_KEY));

    assertThat(handler.handle(underOtherKey, "peer")).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.MALFORMED)).isEqualTo(1);
    assertThat(spooled()).isEmpty();
  }

  @Test
  void plaintextDataFromAnEncryptingStationIsRefusedByDefault() throws Exception {
    Hj212PacketHandler handler = handler();

    assertThat(handler.handle(hourly(MN, 9, ""), "peer")).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.UNAUTHORISED)).isEqualTo(1);
    assertThat(spooled()).isEmpty();
  }

  @Test
  void plaintextDataFromAnEncryptingStationIsTakenAndCountedWhenItsSettingSaysAccept()
      throws Exception {
    Hj212PacketHandler handler =
        handler("device.enc.hj212.sm4.key=" + KEY + "\ndevice.enc.hj212.plaintext=accept\n");

    assertThat(reply(handler.handle(hourly(MN, 9, ""), "peer")).cn()).isEqualTo("9014");
    assertThat(handler.plaintextAccepted()).isEqualTo(1);
    assertThat(spooled()).hasSize(1);
  }

  @Test
  void eachVersionIsAnsweredInItsOwnFlagOnTheSamePort() throws Exception {
    Hj212PacketHandler handler = handler();
    Map<Integer, Integer> replyFlagByRequestFlag = Map.of(1, 0, 5, 4, 9, 8);
    for (var entry : replyFlagByRequestFlag.entrySet()) {
      Hj212Packet reply = reply(handler.handle(hourly(PLAIN_MN, entry.getKey(), ""), "peer"));
      assertThat(reply.flag()).isEqualTo(entry.getValue());
      assertThat(reply.version().bits()).isEqualTo(entry.getKey() >> 2);
    }
    assertThat(handler.commandCounts())
        .containsEntry("2005 2061", 1L)
        .containsEntry("2017 2061", 1L)
        .containsEntry("2025 2061", 1L);
    assertThat(spooled()).hasSize(3); // the same reading three times: same id, deduplicated later
  }

  @Test
  void aThrottledPacketIsNotAnsweredSoTheStationSendsItAgainLater() throws Exception {
    // A burst of 2 at one reading an hour: two current packets, then the station's limit.
    intake =
        new Intake(
            "gw-1",
            intake.validator(),
            spool,
            new RefusalCounter(),
            new DeadLetters(
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()),
                "envmon.deadletter.v1",
                "gw-1",
                "wujiang",
                CLOCK),
            new DeviceRateLimiter(
                new DeviceRateLimiter.Settings(1, 2, Duration.ofHours(1), Duration.ofDays(7)),
                CLOCK),
            CLOCK);
    Hj212PacketHandler handler = handler();

    assertThat(handler.handle(hourly(PLAIN_MN, 5, ""), "peer")).isPresent();
    assertThat(handler.handle(hourly(PLAIN_MN, 5, ""), "peer")).isPresent();
    assertThat(handler.handle(hourly(PLAIN_MN, 5, ""), "peer")).as("no 9014").isEmpty();

    assertThat(spooled()).hasSize(2);
    assertThat(intake.refusals().count(RefusalReason.THROTTLED)).isEqualTo(1);
    assertThat(intake.limiter().throttledByDevice()).containsEntry("plain", 1L);
  }

  @Test
  void aResentPacketIsSpooledAsBackfilled() throws Exception {
    Hj212PacketHandler handler = handler();
    assertThat(handler.handle(hourly(PLAIN_MN, 8, "RF=1;"), "peer")).isEmpty();
    assertThat(spooled()).hasSize(1);
    assertThat(spooled().get(0).reading().backfilled()).isTrue();
  }

  @Test
  void aHeartbeatMarksTheStationOnlineAndIsAnswered9013WhenItAsks() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] heartbeat =
        frame("QN=20261202160000000;ST=22;CN=9015;PW=123456;MN=" + PLAIN_MN + ";Flag=9;CP=&&&&");
    Hj212Packet reply = reply(handler.handle(heartbeat, "peer"));
    assertThat(reply.cn()).isEqualTo("9013");
    assertThat(reply.flag()).isEqualTo(Hj212Version.HJ_212_2025.plainFlag());
    assertThat(handler.heartbeats()).isEqualTo(1);
    assertThat(handler.lastSeen()).containsEntry(PLAIN_MN, NOW);
    assertThat(handler.stationsOnline(Duration.ofMinutes(2))).isEqualTo(1);

    byte[] quiet =
        frame("QN=20261202160000000;ST=22;CN=9015;PW=123456;MN=" + MN + ";Flag=8;CP=&&&&");
    assertThat(handler.handle(quiet, "peer")).isEmpty();
    assertThat(handler.stationsOnline(Duration.ofMinutes(2))).isEqualTo(2);
    assertThat(spooled()).isEmpty();
    assertThat(intake.refusals().snapshot().values()).allMatch(count -> count == 0);
  }

  @Test
  void unusedCommandsAreCountedAnsweredAsUploadsOrLeftUnansweredNeverRefused() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] status =
        frame(
            "QN=20261202160000000;ST=22;CN=2021;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=9;CP=&&DataTime=20261202150000;i12001-Info=1&&");
    byte[] requestAnswer =
        frame(
            "QN=20261202160000000;ST=91;CN=9011;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=9;CP=&&QnRtn=1&&");
    byte[] timeUpload =
        frame(
            "QN=20261202160000000;ST=22;CN=1011;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=5;CP=&&SystemTime=20261202160000&&");

    assertThat(reply(handler.handle(status, "peer")).cn()).isEqualTo("9014");
    assertThat(handler.handle(requestAnswer, "peer")).isEmpty();
    assertThat(handler.handle(timeUpload, "peer")).isEmpty();
    assertThat(handler.commandCounts())
        .containsEntry("2025 2021", 1L)
        .containsEntry("2025 9011", 1L)
        .containsEntry("2017 1011", 1L);
    assertThat(intake.refusals().snapshot().values()).allMatch(count -> count == 0);
    assertThat(spooled()).isEmpty();
  }

  @Test
  void anEncryptedPacketFromAStationWithoutKeyOrUnknownIsRefusedUnauthorised() throws Exception {
    Hj212PacketHandler handler = handler();
    byte[] plainStation =
        Hj212Sm4.encrypt(hourly(PLAIN_MN, 9, ""), Hj212Sm4.parseKey(KEY)); // has no key
    byte[] unknown = Hj212Sm4.encrypt(hourly("UNKNOWN", 9, ""), Hj212Sm4.parseKey(KEY));
    assertThat(handler.handle(plainStation, "peer")).isEmpty();
    assertThat(handler.handle(unknown, "peer")).isEmpty();
    assertThat(intake.refusals().count(RefusalReason.UNAUTHORISED)).isEqualTo(2);
  }

  /** The same hourly upload with a CRC-16/MODBUS instead of HJ 212's CRC. */
  private static byte[] hourlyWithModbusCrc(String mn) {
    String segment =
        "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
            + mn
            + ";Flag=5;CP=&&DataTime=20261202150000;a34004-Avg=35.2,a34004-Flag=N&&";
    byte[] data = segment.getBytes(ISO_8859_1);
    return String.format(
            "##%04d%s%s\r\n",
            data.length, segment, Hj212Crc.hex(Hj212Crc.modbus(data, 0, data.length)))
        .getBytes(ISO_8859_1);
  }

  @Test
  @DisplayName(
      "the same MODBUS-CRC packet is taken and counted from a station that tolerates it, refused"
          + " malformed from a strict one")
  void aDeviationIsTakenOnlyFromAStationThatToleratesIt() throws Exception {
    Hj212PacketHandler handler = handler("device.enc.hj212.tolerate=crc-modbus\n");

    assertThat(reply(handler.handle(hourlyWithModbusCrc(MN), "peer")).cn()).isEqualTo("9014");
    assertThat(handler.handle(hourlyWithModbusCrc(PLAIN_MN), "peer")).isEmpty();

    assertThat(spooled()).hasSize(1);
    assertThat(spooled().get(0).reading().pointId()).isEqualTo(POINT);
    assertThat(intake.refusals().count(RefusalReason.MALFORMED)).isEqualTo(1);
    assertThat(handler.toleratedByDevice()).isEqualTo(Map.of("enc", Map.of("crc-modbus", 1L)));
  }

  @Test
  @DisplayName(
      "unknown factor codes are counted per station, the known factors of the packet land and it"
          + " is answered")
  void unknownFactorCodesAreCountedAndTheKnownOnesLand() throws Exception {
    Hj212PacketHandler handler = handler("");
    for (int i = 0; i < 2; i++) {
      byte[] packet =
          frame(
              "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
                  + PLAIN_MN
                  + ";Flag=5;CP=&&DataTime=2026120215000"
                  + i
                  + ";a99001-Avg=1.5,a99001-Flag=N;a34004-Avg=35.2,a34004-Flag=N&&");
      assertThat(reply(handler.handle(packet, "peer")).cn()).isEqualTo("9014");
    }

    assertThat(spooled()).hasSize(2);
    assertThat(spooled().get(0).reading().measurements()).hasSize(1);
    assertThat(handler.unknownFactorsByDevice()).isEqualTo(Map.of("plain", Map.of("a99001", 2L)));
    assertThat(intake.refusals().snapshot().values()).allMatch(count -> count == 0);
  }

  @Test
  @DisplayName("each part of a split upload (Flag bit 1, PNUM/PNO) is its own data and lands")
  void eachPartOfASplitUploadLands() throws Exception {
    Hj212PacketHandler handler = handler("");
    byte[] first =
        frame(
            "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20261202150000;a34004-Avg=35.2&&");
    byte[] second =
        frame(
            "QN=20261202160000000;ST=22;CN=2061;PW=123456;MN="
                + PLAIN_MN
                + ";Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20261202150000;a34002-Avg=61&&");

    assertThat(reply(handler.handle(first, "peer")).cn()).isEqualTo("9014");
    assertThat(reply(handler.handle(second, "peer")).cn()).isEqualTo("9014");

    assertThat(spooled()).hasSize(2);
    assertThat(spooled().get(0).reading().measurements().get(0).parameter().canonicalName())
        .isEqualTo("pm25");
    assertThat(spooled().get(1).reading().measurements().get(0).parameter().canonicalName())
        .isEqualTo("pm10");
  }
}
