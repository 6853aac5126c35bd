package io.envmon.sim.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.Station;
import io.envmon.sim.station.WaterStation;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HJ 212 station firmware against a minimal platform in the test that answers (or not) with the
 * standard's 9014 data response; the gateway's own HJ 212 server is tested in edge-gateway.
 */
@DisplayName("HJ 212 station firmware")
class Hj212TransportTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Station STATION =
      new WaterStation("jiashan-water-01", "jiashan", SHANGHAI, Duration.ofHours(4), 9);
  private static final Instant AT = Instant.parse("2025-11-21T04:00:00Z");

  private static final String KEY = "00112233445566778899aabbccddeeff";

  private final List<Hj212Packet> packetsSeen = new CopyOnWriteArrayList<>();
  private final List<Boolean> encryptedSeen = new CopyOnWriteArrayList<>();
  private ServerSocket platform;

  private InetSocketAddress startPlatform(boolean replies) throws Exception {
    platform = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread server =
        new Thread(
            () -> {
              try (Socket socket = platform.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                Hj212FrameDecoder decoder = new Hj212FrameDecoder();
                byte[] buffer = new byte[512];
                int read;
                while ((read = in.read(buffer)) > 0) {
                  for (FrameEvent event : decoder.feed(buffer, 0, read)) {
                    if (event instanceof FrameEvent.Frame frame) {
                      boolean encrypted = Hj212Sm4.isEncrypted(frame.bytes());
                      byte[] plain =
                          encrypted
                              ? Hj212Sm4.decrypt(frame.bytes(), Hj212Sm4.parseKey(KEY))
                              : frame.bytes();
                      Hj212Packet packet = Hj212Codec.decodeFrame(plain, SHANGHAI);
                      packetsSeen.add(packet);
                      encryptedSeen.add(encrypted);
                      if (replies && packet.asksForReply()) {
                        out.write(
                            Hj212Codec.CN_HEARTBEAT.equals(packet.cn())
                                ? Hj212Codec.notificationResponse(packet)
                                : Hj212Codec.dataResponse(packet));
                      }
                    }
                  }
                }
              } catch (Exception closed) {
                // the test is over
              }
            });
    server.setDaemon(true);
    server.start();
    return (InetSocketAddress) platform.getLocalSocketAddress();
  }

  @AfterEach
  void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  private static Reading reading() {
    return new Reading(
        Reading.idFor(STATION.pointId(), AT),
        STATION.pointId(),
        AT,
        STATION.measure(AT),
        io.envmon.domain.reading.Source.HJ212);
  }

  @Test
  void aPacketAskingForAReplyIsAcknowledgedByTheDataResponse() throws Exception {
    InetSocketAddress address = startPlatform(true);
    try (Hj212Transport transport =
        new Hj212Transport(
            address,
            Map.of(STATION.pointId(), new Hj212Transport.StationLogin("JS0000000001", "123456")),
            SHANGHAI,
            Duration.ofSeconds(5),
            Clock.systemUTC())) {
      transport.send(STATION, reading()).get(10, TimeUnit.SECONDS);
      transport.send(STATION, reading()).get(10, TimeUnit.SECONDS);
    }
    assertThat(packetsSeen).hasSize(2);
    Hj212Packet first = packetsSeen.get(0);
    assertThat(first.mn()).isEqualTo("JS0000000001");
    assertThat(first.cn()).isEqualTo("2011");
    assertThat(first.asksForReply()).isTrue();
    assertThat(Hj212ReadingMapper.toReadings(first, STATION.pointId()).readings())
        .singleElement()
        .satisfies(r -> assertThat(r.measurements()).isEqualTo(STATION.measure(AT)));
  }

  @Test
  @DisplayName(
      "an HJ 212-2025 station encrypts its data area with its SM4 key, marks re-sent history RF=1"
          + " and sends 9015 heartbeats answered 9013")
  void an2025StationEncryptsResendsAndBeats() throws Exception {
    InetSocketAddress address = startPlatform(true);
    Reading live = reading();
    Reading history =
        new Reading(
            Reading.idFor(STATION.pointId(), AT.minus(Duration.ofHours(4))),
            STATION.pointId(),
            AT.minus(Duration.ofHours(4)),
            STATION.measure(AT.minus(Duration.ofHours(4))),
            io.envmon.domain.reading.Source.HJ212,
            true);
    try (Hj212Transport transport =
        new Hj212Transport(
            address,
            Map.of(
                STATION.pointId(),
                new Hj212Transport.StationLogin(
                    "JS0000000001", "123456", Hj212Version.HJ_212_2025, Hj212Sm4.parseKey(KEY))),
            SHANGHAI,
            Duration.ofSeconds(5),
            Clock.systemUTC(),
            Duration.ofMillis(200))) {
      transport.send(STATION, history).get(10, TimeUnit.SECONDS);
      transport.send(STATION, live).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> transport.heartbeatsAnswered() >= 2);
    }
    List<Hj212Packet> data = packetsSeen.stream().filter(p -> p.cn().equals("2011")).toList();
    assertThat(data).hasSize(2);
    assertThat(data).allSatisfy(p -> assertThat(p.flag()).isEqualTo(9));
    assertThat(data.get(0).resent()).isTrue();
    assertThat(data.get(1).resent()).isFalse();
    assertThat(Hj212ReadingMapper.toReadings(data.get(0), STATION.pointId()).readings())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.backfilled()).isTrue();
              assertThat(r.observedAt()).isEqualTo(history.observedAt());
              assertThat(r.measurements()).isEqualTo(history.measurements());
            });
    for (int i = 0; i < packetsSeen.size(); i++) {
      Hj212Packet packet = packetsSeen.get(i);
      assertThat(encryptedSeen.get(i)).as(packet.cn()).isEqualTo(packet.cn().equals("2011"));
    }
    assertThat(packetsSeen)
        .filteredOn(p -> p.cn().equals(Hj212Codec.CN_HEARTBEAT))
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.flag()).isEqualTo(9);
              assertThat(p.mn()).isEqualTo("JS0000000001");
            });
  }

  @Test
  @DisplayName(
      "HJ/T 212-2005 and HJ 212-2017 stations send plaintext, Flag 1 and 5, no RF, no heartbeat")
  void olderEditionsSendPlaintextWithoutRfOrHeartbeat() throws Exception {
    for (Hj212Version version : List.of(Hj212Version.HJT_212_2005, Hj212Version.HJ_212_2017)) {
      packetsSeen.clear();
      encryptedSeen.clear();
      InetSocketAddress address = startPlatform(true);
      Reading history =
          new Reading(
              reading().readingId(),
              STATION.pointId(),
              AT,
              STATION.measure(AT),
              io.envmon.domain.reading.Source.HJ212,
              true);
      try (Hj212Transport transport =
          new Hj212Transport(
              address,
              Map.of(
                  STATION.pointId(),
                  new Hj212Transport.StationLogin("JS0000000001", "123456", version, null)),
              SHANGHAI,
              Duration.ofSeconds(5),
              Clock.systemUTC(),
              Duration.ofMillis(100))) {
        transport.send(STATION, history).get(10, TimeUnit.SECONDS);
        transport.send(STATION, reading()).get(10, TimeUnit.SECONDS);
        assertThat(transport.heartbeatsAnswered()).isZero();
      }
      stopPlatform();
      assertThat(packetsSeen).as(version.title()).hasSize(2);
      assertThat(packetsSeen)
          .allSatisfy(
              p -> {
                assertThat(p.version()).isEqualTo(version);
                assertThat(p.asksForReply()).isTrue();
                assertThat(p.resent()).isFalse();
              });
      assertThat(encryptedSeen).containsOnly(false);
    }
  }

  @Test
  void anSm4KeyIsRefusedForAnEditionWithoutEncryption() {
    assertThatThrownBy(
            () ->
                new Hj212Transport.StationLogin(
                    "JS0000000001", "123456", Hj212Version.HJ_212_2017, Hj212Sm4.parseKey(KEY)))
        .hasMessageContaining("HJ 212-2017 has no SM4 encryption");
  }

  @Test
  void noReplyWithinTheTimeoutFailsTheSend() throws Exception {
    InetSocketAddress address = startPlatform(false);
    try (Hj212Transport transport =
        new Hj212Transport(
            address,
            Map.of(STATION.pointId(), new Hj212Transport.StationLogin("JS0000000001", "123456")),
            SHANGHAI,
            Duration.ofMillis(300),
            Clock.systemUTC())) {
      assertThatThrownBy(() -> transport.send(STATION, reading()).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no 9014 reply");
    }
  }

  @Test
  void aStationWithoutCredentialsIsRefusedAtOnce() {
    try (Hj212Transport transport =
        new Hj212Transport(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 9),
            Map.of(),
            SHANGHAI,
            Duration.ofSeconds(1),
            Clock.systemUTC())) {
      assertThat(transport.send(STATION, reading())).isCompletedExceptionally();
    }
    platform = null;
  }
}
