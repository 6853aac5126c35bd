package io.envmon.sim.transport;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.reading.Reading;
import io.envmon.sim.station.Station;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HJ 212-2017 station firmware: each station keeps its own TCP connection to the gateway, sends
 * real-time data packets (CN 2011) with Flag 5 and waits for the 9014 data response before its next
 * packet, as stations do. A missing reply within the timeout fails the send; the connection is then
 * reopened for the next packet.
 */
public final class Hj212Transport implements Transport {

  /** A station's HJ 212 identity: its MN and password. */
  public record StationLogin(String mn, String password) {}

  private final InetSocketAddress gateway;
  private final Map<String, StationLogin> logins;
  private final ZoneId stationZone;
  private final Duration replyTimeout;
  private final Clock clock;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  public Hj212Transport(
      InetSocketAddress gateway,
      Map<String, StationLogin> logins,
      ZoneId stationZone,
      Duration replyTimeout,
      Clock clock) {
    this.gateway = gateway;
    this.logins = Map.copyOf(logins);
    this.stationZone = stationZone;
    this.replyTimeout = replyTimeout;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Void> send(Station station, Reading reading) {
    StationLogin login = logins.get(station.pointId());
    if (login == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no HJ 212 MN and password for " + station.pointId()));
    }
    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.REAL_TIME,
            login.mn(),
            login.password(),
            clock.instant(),
            stationZone,
            true);
    byte[] frame = Hj212Codec.encode(packet, stationZone);
    Connection connection = connections.computeIfAbsent(station.pointId(), id -> new Connection());
    return CompletableFuture.runAsync(
        () -> connection.exchange(frame, packet.qn()), connection.sender);
  }

  /** Writes a packet and reads its 9014 reply, one station at a time. */
  private final class Connection {
    final ExecutorService sender =
        Executors.newSingleThreadExecutor(r -> daemon(r, "hj212-station"));
    Socket socket;
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();
    final Deque<FrameEvent> received = new ArrayDeque<>();

    void exchange(byte[] frame, String qn) {
      try {
        if (socket == null || socket.isClosed()) {
          socket = new Socket();
          socket.connect(gateway, (int) replyTimeout.toMillis());
          socket.setSoTimeout((int) replyTimeout.toMillis());
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
        awaitReply(socket.getInputStream(), qn);
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        throw e instanceof RuntimeException runtime
            ? runtime
            : new UncheckedIOException((IOException) e);
      }
    }

    private void awaitReply(InputStream in, String qn) throws IOException {
      byte[] buffer = new byte[1024];
      while (true) {
        while (!received.isEmpty()) {
          if (received.poll() instanceof FrameEvent.Frame reply && isDataResponseTo(reply, qn)) {
            return;
          }
        }
        int read;
        try {
          read = in.read(buffer);
        } catch (SocketTimeoutException e) {
          throw new IllegalStateException("no 9014 data response within " + replyTimeout, e);
        }
        if (read < 0) {
          throw new IllegalStateException("the gateway closed the connection without a 9014 reply");
        }
        received.addAll(decoder.feed(buffer, 0, read));
      }
    }

    private boolean isDataResponseTo(FrameEvent.Frame reply, String qn) {
      try {
        Hj212Packet packet = Hj212Codec.decodeFrame(reply.bytes(), stationZone);
        return Hj212Codec.CN_DATA_RESPONSE.equals(packet.cn()) && qn.equals(packet.qn());
      } catch (DecodeException e) {
        return false;
      }
    }

    void closeQuietly() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException ignored) {
        // closing a broken connection: nothing more to do
      }
      socket = null;
      decoder = new Hj212FrameDecoder();
      received.clear();
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    connections.values().forEach(c -> c.sender.submit(c::closeQuietly));
    connections.values().forEach(c -> c.sender.shutdown());
  }
}
