package io.envmon.gateway.hj212;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.hj212.CpData;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212Crc;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.health.HealthServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A station speaks HJ 212-2017 over a real TCP socket; readings land in the real Kafka. */
@WithRealInfrastructure
class Hj212ServerIT {

  private static final String MN = "010000A8900016F000169DC0";
  private static final String PW = "123456";
  private static final String POINT = "wujiang-water-01";

  @TempDir Path directory;

  private RunningGateway start(Infrastructure infrastructure) throws Exception {
    return start(infrastructure, Map.of());
  }

  private RunningGateway start(Infrastructure infrastructure, Map<String, String> settings)
      throws Exception {
    return start(infrastructure, settings, "");
  }

  private RunningGateway start(
      Infrastructure infrastructure, Map<String, String> settings, String moreCredentials)
      throws Exception {
    Path credentials = directory.resolve("devices.properties");
    Files.writeString(
        credentials,
        "device.station-1.points="
            + POINT
            + "\ndevice.station-1.hj212.mn="
            + MN
            + "\ndevice.station-1.hj212.pw="
            + PW
            + "\n"
            + moreCredentials);
    GatewayConfig config =
        RunningGateway.config(
            infrastructure, directory.resolve("spool"), withDefaults(settings, credentials));
    return RunningGateway.start(
        infrastructure, config, List.of(TestPoints.water(POINT, config.cityId())));
  }

  private static Map<String, String> withDefaults(Map<String, String> settings, Path credentials) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("credentials.file", credentials.toString());
    all.put("mqtt.url", "");
    return all;
  }

  private static byte[] packet(Instant observedAt, String pw, boolean asksForReply) {
    Reading reading =
        new Reading(
            Reading.idFor(POINT, observedAt),
            POINT,
            observedAt,
            List.of(Measurement.valid(Parameter.PH, 7.2), Measurement.valid(Parameter.DO, 6.4)),
            Source.HJ212);
    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.REAL_TIME,
            MN,
            pw,
            Instant.now(),
            Hj212Codec.DEFAULT_STATION_ZONE,
            asksForReply);
    return Hj212Codec.encode(packet);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      line.append((char) b);
      if (line.toString().endsWith("\r\n")) {
        return line.toString();
      }
    }
    return line.toString();
  }

  @Test
  @DisplayName("a packet split across writes is spooled, answered 9014 and lands in Kafka")
  void splitPacketIsAnsweredAndForwarded(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure);
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      Instant observedAt = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      byte[] packet = packet(observedAt, PW, true);
      OutputStream out = station.getOutputStream();
      out.write(Arrays.copyOfRange(packet, 0, 7));
      out.flush();
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      out.write(Arrays.copyOfRange(packet, 7, 60));
      out.flush();
      out.write(Arrays.copyOfRange(packet, 60, packet.length));
      out.flush();

      station.setSoTimeout(20_000);
      String reply = readLine(station.getInputStream());
      Hj212Packet response = Hj212Codec.decodeFrame(reply.getBytes(US_ASCII));
      assertThat(response.cn()).isEqualTo("9014");
      assertThat(response.mn()).isEqualTo(MN);
      assertThat(response.qn()).isEqualTo(Hj212Codec.decodeFrame(packet).qn());

      AcceptedReading forwarded = running.awaitForwarded(r -> r.reading().pointId().equals(POINT));
      assertThat(forwarded.reading().observedAt()).isEqualTo(observedAt);
      assertThat(forwarded.reading().source()).isEqualTo(Source.HJ212);
      assertThat(forwarded.reading().measurements())
          .containsExactly(
              Measurement.valid(Parameter.PH, 7.2), Measurement.valid(Parameter.DO, 6.4));
    }
  }

  @Test
  @DisplayName("a packet with a bad CRC or a wrong PW gets no reply and is counted")
  void badCrcAndWrongPasswordGetNoReply(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure);
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      Instant observedAt = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      byte[] badCrc = packet(observedAt, PW, true);
      badCrc[badCrc.length - 3] = (byte) (badCrc[badCrc.length - 3] == '0' ? '1' : '0');
      byte[] wrongPw = packet(observedAt, "654321", true);
      OutputStream out = station.getOutputStream();
      out.write(badCrc);
      out.write(wrongPw);
      out.flush();

      var refusals = running.gateway.intake().refusals();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  refusals.count(RefusalReason.MALFORMED) == 1
                      && refusals.count(RefusalReason.UNAUTHORISED) == 1);
      station.setSoTimeout(1_000);
      try {
        int first = station.getInputStream().read();
        assertThat(first).as("the gateway answered a refused packet").isEqualTo(-1);
      } catch (SocketTimeoutException expected) {
        // no reply, as it should be
      }
      assertThat(running.gateway.hj212().responsesSent()).isZero();
      assertThat(running.gateway.spool().nextSequence()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a packet that does not ask for a reply is spooled without one")
  void packetWithoutReplyFlagIsSpooledSilently(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure);
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      station
          .getOutputStream()
          .write(packet(Instant.now().truncatedTo(ChronoUnit.MINUTES), PW, false));
      station.getOutputStream().flush();
      running.awaitForwarded(r -> r.reading().pointId().equals(POINT));
      assertThat(running.gateway.hj212().responsesSent()).isZero();
    }
  }

  @Test
  @DisplayName("garbage before a packet is dropped and counted; the packet after it is still taken")
  void garbageBeforeAPacketDoesNotLoseThePacket(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure);
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      OutputStream out = station.getOutputStream();
      out.write("\u0000\u00ffGET / HTTP/1.1\r\n##12".getBytes(US_ASCII));
      out.write(packet(Instant.now().truncatedTo(ChronoUnit.MINUTES), PW, true));
      out.flush();
      station.setSoTimeout(20_000);
      assertThat(readLine(station.getInputStream())).contains("CN=9014");
      assertThat(running.gateway.intake().refusals().count(RefusalReason.MALFORMED))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName("a silent connection is closed after the read timeout")
  void silentConnectionIsClosed(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure, Map.of("hj212.read.timeout.seconds", "1"));
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      station.getOutputStream().write("##0101QN=2016".getBytes(US_ASCII));
      station.setSoTimeout(20_000);
      long start = System.nanoTime();
      assertThat(station.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> running.gateway.hj212().openConnections() == 0);
    }
  }

  @Test
  @DisplayName("a connection beyond the limit is closed at once and counted")
  void connectionBeyondTheLimitIsClosed(Infrastructure infrastructure) throws Exception {
    try (RunningGateway running = start(infrastructure, Map.of("hj212.max.connections", "2"));
        Socket first = new Socket("127.0.0.1", running.gateway.hj212().port());
        Socket second = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> running.gateway.hj212().openConnections() == 2);
      try (Socket third = new Socket("127.0.0.1", running.gateway.hj212().port())) {
        third.setSoTimeout(10_000);
        assertThat(third.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(running.gateway.hj212().connectionsRefused()).isEqualTo(1);
      first
          .getOutputStream()
          .write(packet(Instant.now().truncatedTo(ChronoUnit.MINUTES), PW, true));
      first.setSoTimeout(20_000);
      assertThat(readLine(first.getInputStream())).contains("CN=9014");
    }
  }

  @Test
  @DisplayName(
      "HJ 212-2025 on the same port: an encrypted re-sent packet split across writes, a heartbeat"
          + " and a 2017 packet on one connection, each answered in its own version")
  void hj2122025BesideHj2122017(Infrastructure infrastructure) throws Exception {
    String key = "0123456789abcdeffedcba9876543210";
    try (RunningGateway running =
            start(
                infrastructure,
                Map.of(),
                "device.station-1.hj212.sm4.key="
                    + key
                    + "\ndevice.station-2.points="
                    + POINT
                    + "\ndevice.station-2.hj212.mn=MN2017\ndevice.station-2.hj212.pw="
                    + PW
                    + "\n");
        Socket station = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      Instant observedAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(3600);
      Hj212Packet live = Hj212Codec.decodeFrame(packet(observedAt, PW, true));
      Hj212Packet resent2025 =
          new Hj212Packet(
              live.qn(),
              live.st(),
              live.cn(),
              live.pw(),
              live.mn(),
              Hj212Packet.FLAG_2025 | Hj212Packet.FLAG_ASKS_FOR_REPLY,
              null,
              null,
              live.cp(),
              true);
      byte[] encrypted = Hj212Sm4.encrypt(Hj212Codec.encode(resent2025), Hj212Sm4.parseKey(key));
      byte[] heartbeat =
          Hj212Codec.encode(
              new Hj212Packet(live.qn(), "21", "9015", PW, MN, 9, null, null, CpData.EMPTY));
      // A plaintext 2017 station on the same port (station-1 encrypts: its plaintext is refused).
      Hj212Packet other = Hj212Codec.decodeFrame(packet(observedAt.plusSeconds(60), PW, true));
      byte[] plain2017 =
          Hj212Codec.encode(
              new Hj212Packet(
                  other.qn(),
                  other.st(),
                  other.cn(),
                  PW,
                  "MN2017",
                  other.flag(),
                  null,
                  null,
                  other.cp()));
      OutputStream out = station.getOutputStream();
      out.write(Arrays.copyOfRange(encrypted, 0, 100));
      out.flush();
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      out.write(Arrays.copyOfRange(encrypted, 100, encrypted.length));
      out.write(heartbeat);
      out.write(plain2017);
      out.flush();

      station.setSoTimeout(20_000);
      InputStream in = station.getInputStream();
      Hj212Packet first = Hj212Codec.decodeFrame(readLine(in).getBytes(US_ASCII));
      Hj212Packet second = Hj212Codec.decodeFrame(readLine(in).getBytes(US_ASCII));
      Hj212Packet third = Hj212Codec.decodeFrame(readLine(in).getBytes(US_ASCII));
      assertThat(List.of(first.cn(), first.flag())).containsExactly("9014", 8);
      assertThat(List.of(second.cn(), second.flag())).containsExactly("9013", 8);
      assertThat(List.of(third.cn(), third.flag())).containsExactly("9014", 4);

      AcceptedReading backfilled =
          running.awaitForwarded(r -> r.reading().observedAt().equals(observedAt));
      assertThat(backfilled.reading().backfilled()).isTrue();
      assertThat(backfilled.reading().measurements())
          .containsExactly(
              Measurement.valid(Parameter.PH, 7.2), Measurement.valid(Parameter.DO, 6.4));
      assertThat(running.gateway.hj212().packets().decrypted()).isEqualTo(1);
      assertThat(running.gateway.hj212().packets().heartbeats()).isEqualTo(1);
      assertThat(running.gateway.hj212().stationsOnline()).isEqualTo(2);
      assertThat(running.gateway.hj212().packets().commandCounts())
          .containsEntry("2025 2011", 1L)
          .containsEntry("2025 9015", 1L)
          .containsEntry("2017 2011", 1L);
    }
  }

  /**
   * A real-time water packet of station {@code mn} with its items, and the CRC {@code crc} gives.
   */
  private static byte[] waterPacket(
      String mn, Instant observedAt, String items, java.util.function.ToIntFunction<byte[]> crc) {
    java.time.ZonedDateTime local = observedAt.atZone(Hj212Codec.DEFAULT_STATION_ZONE);
    String time = java.time.format.DateTimeFormatter.ofPattern("uuuuMMddHHmmss").format(local);
    String segment =
        "QN="
            + time
            + "000;ST=21;CN=2011;PW="
            + PW
            + ";MN="
            + mn
            + ";Flag=5;CP=&&DataTime="
            + time
            + ";"
            + items
            + "&&";
    byte[] data = segment.getBytes(US_ASCII);
    return String.format("##%04d%s%s\r\n", data.length, segment, Hj212Crc.hex(crc.applyAsInt(data)))
        .getBytes(US_ASCII);
  }

  @Test
  @DisplayName(
      "one MODBUS-CRC packet is taken from the station that tolerates it and refused from a strict"
          + " one; an unknown factor is counted per station while the known ones land, answered"
          + " 9014; /health and /metrics name both per station")
  void deviationsAndUnknownFactorsPerStation(Infrastructure infrastructure) throws Exception {
    String strictMn = "MNSTRICT";
    try (RunningGateway running =
            start(
                infrastructure,
                Map.of(),
                "device.station-1.hj212.tolerate=crc-modbus\n"
                    + "device.strict-2.points="
                    + POINT
                    + "\ndevice.strict-2.hj212.mn="
                    + strictMn
                    + "\ndevice.strict-2.hj212.pw="
                    + PW
                    + "\n");
        HealthServer health =
            new HealthServer(new InetSocketAddress("127.0.0.1", 0), running.gateway).start();
        Socket tolerant = new Socket("127.0.0.1", running.gateway.hj212().port());
        Socket strict = new Socket("127.0.0.1", running.gateway.hj212().port())) {
      Instant observedAt = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600);
      String items = "w01001-Rtd=7.2,w01001-Flag=N;w01009-Rtd=6.4,w01009-Flag=N";
      java.util.function.ToIntFunction<byte[]> modbus = d -> Hj212Crc.modbus(d, 0, d.length);
      tolerant.getOutputStream().write(waterPacket(MN, observedAt, items, modbus));
      tolerant.getOutputStream().flush();
      OutputStream strictOut = strict.getOutputStream();
      strictOut.write(waterPacket(strictMn, observedAt.plusSeconds(60), items, modbus));
      strictOut.write(
          waterPacket(
              strictMn,
              observedAt.plusSeconds(120),
              "w01001-Rtd=7.3,w01001-Flag=N;w99001-Rtd=3,w99001-Flag=N",
              Hj212Crc::crc16));
      strictOut.flush();

      tolerant.setSoTimeout(20_000);
      strict.setSoTimeout(20_000);
      assertThat(readLine(tolerant.getInputStream())).contains("CN=9014").contains("MN=" + MN);
      // The strict station's MODBUS packet gets no reply: its first reply is the second packet's.
      assertThat(readLine(strict.getInputStream()))
          .contains("CN=9014")
          .contains(
              "QN="
                  + java.time.format.DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
                      .format(observedAt.plusSeconds(120).atZone(Hj212Codec.DEFAULT_STATION_ZONE)));

      AcceptedReading tolerated =
          running.awaitForwarded(r -> r.reading().observedAt().equals(observedAt));
      assertThat(tolerated.reading().measurements())
          .containsExactly(
              Measurement.valid(Parameter.PH, 7.2), Measurement.valid(Parameter.DO, 6.4));
      AcceptedReading withUnknown =
          running.awaitForwarded(r -> r.reading().observedAt().equals(observedAt.plusSeconds(120)));
      assertThat(withUnknown.reading().measurements())
          .containsExactly(Measurement.valid(Parameter.PH, 7.3));
      assertThat(running.gateway.intake().refusals().count(RefusalReason.MALFORMED)).isEqualTo(1);
      assertThat(running.gateway.spool().nextSequence()).isEqualTo(3);

      assertThat(get(health.port(), "/health"))
          .contains(
              "\"hj212Devices\":{\"station-1\":{\"tolerated\":{\"crc-modbus\":1},"
                  + "\"unknownFactors\":{}},\"strict-2\":{\"tolerated\":{},"
                  + "\"unknownFactors\":{\"w99001\":1}}}");
      assertThat(get(health.port(), "/metrics"))
          .contains(
              "envmon_gateway_hj212_tolerated_total{device=\"station-1\",deviation=\"crc-modbus\"}"
                  + " 1\n")
          .contains(
              "envmon_gateway_hj212_unknown_factors_total{device=\"strict-2\",code=\"w99001\"}"
                  + " 1\n");
    }
  }

  private static String get(int port, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
