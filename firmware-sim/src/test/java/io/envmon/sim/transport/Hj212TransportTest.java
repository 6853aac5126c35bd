package io.envmon.sim.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
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

  private final List<Hj212Packet> packetsSeen = new CopyOnWriteArrayList<>();
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
                      Hj212Packet packet = Hj212Codec.decodeFrame(frame.bytes(), SHANGHAI);
                      packetsSeen.add(packet);
                      if (replies && packet.asksForReply()) {
                        out.write(Hj212Codec.dataResponse(packet));
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
          .hasMessageContaining("no 9014 data response");
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
