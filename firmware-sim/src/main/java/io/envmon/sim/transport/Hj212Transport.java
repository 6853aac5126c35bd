package io.envmon.sim.transport;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.CpData;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.hj212.Hj212Version;
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
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HJ 212 station firmware (HJ/T 212-2005, HJ 212-2017 or HJ 212-2025, per station): each station
 * keeps its own TCP connection to the gateway, sends real-time data packets (CN 2011) whose Flag
 * names its version and asks for a reply (1, 5 or 9) and waits for the 9014 data response before
 * its next packet, as stations do. An HJ 212-2025 station with an SM4 key encrypts the data area
 * ({@link Hj212Sm4}), marks re-sent history {@code RF=1} ({@link Reading#backfilled()}) and, once
 * connected, sends a 9015 heartbeat every {@code heartbeat} of real time (answered 9013) so that
 * its link and online state stay up between hourly packets. A missing reply within the timeout
 * fails the send; the connection is then reopened for the next packet.
 */
public final class Hj212Transport implements Transport {

  /** A station's heartbeat when the caller names none: below the gateway's 120 s read timeout. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);

  /**
   * A station's HJ 212 identity: its MN and password, the edition it speaks and, for an encrypting
   * HJ 212-2025 station, its SM4 key (null: plaintext).
   */
  public record StationLogin(String mn, String password, Hj212Version version, byte[] sm4Key) {

    /** An HJ 212-2017 station without encryption. */
    public StationLogin(String mn, String password) {
      this(mn, password, Hj212Version.HJ_212_2017, null);
    }

    public StationLogin {
      Objects.requireNonNull(mn, "mn");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(version, "version");
      if (sm4Key != null) {
        if (version != Hj212Version.HJ_212_2025) {
          throw new IllegalArgumentException(
              "station "
                  + mn
                  + ": "
                  + version.title()
                  + " has no SM4 encryption (HJ 212-2025 only)");
        }
        if (sm4Key.length != Hj212Sm4.KEY_LENGTH) {
          throw new IllegalArgumentException(
              "station " + mn + ": an SM4 key is 16 bytes, not " + sm4Key.length);
        }
        sm4Key = sm4Key.clone();
      }
    }
  }

  private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS");

  private final InetSocketAddress gateway;
  private final Map<String, StationLogin> logins;
  private final ZoneId stationZone;
  private final Duration replyTimeout;
  private final Clock clock;
  private final Duration heartbeat;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicLong heartbeatsAnswered = new AtomicLong();
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hj212-heartbeat"));

  /** Stations send heartbeats every {@link #DEFAULT_HEARTBEAT}. */
  public Hj212Transport(
      InetSocketAddress gateway,
      Map<String, StationLogin> logins,
      ZoneId stationZone,
      Duration replyTimeout,
      Clock clock) {
    this(gateway, logins, stationZone, replyTimeout, clock, DEFAULT_HEARTBEAT);
  }

  /**
   * @param heartbeat how often (real time) an HJ 212-2025 station sends 9015 once it has connected
   */
  public Hj212Transport(
      InetSocketAddress gateway,
      Map<String, StationLogin> logins,
      ZoneId stationZone,
      Duration replyTimeout,
      Clock clock,
      Duration heartbeat) {
    if (heartbeat.isZero() || heartbeat.isNegative()) {
      throw new IllegalArgumentException("the heartbeat interval must be positive: " + heartbeat);
    }
    this.gateway = gateway;
    this.logins = Map.copyOf(logins);
    this.stationZone = stationZone;
    this.replyTimeout = replyTimeout;
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  @Override
  public CompletableFuture<Void> send(Station station, Reading reading) {
    StationLogin login = logins.get(station.pointId());
    if (login == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no HJ 212 MN and password for " + station.pointId()));
    }
    Hj212Packet packet;
    byte[] frame;
    try {
      packet = packet(reading, login, clock.instant(), stationZone);
      frame = frame(packet, login, stationZone);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Connection connection = connection(station.pointId(), login);
    return CompletableFuture.runAsync(
        () -> connection.exchange(frame, packet.qn(), Hj212Codec.CN_DATA_RESPONSE),
        connection.sender);
  }

  /**
   * The data packet of {@code reading} in the station's edition: the domain's 2017 packet with the
   * station's Flag (version bits, reply wanted) and, for a back-filled reading of an HJ 212-2025
   * station, {@code RF=1}. Older editions have no RF: their history goes as ordinary data.
   */
  public static Hj212Packet packet(
      Reading reading, StationLogin login, Instant sentAt, ZoneId stationZone) {
    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.REAL_TIME,
            login.mn(),
            login.password(),
            sentAt,
            stationZone,
            true);
    boolean resent = reading.backfilled() && login.version() == Hj212Version.HJ_212_2025;
    return new Hj212Packet(
        packet.qn(),
        packet.st(),
        packet.cn(),
        packet.pw(),
        packet.mn(),
        login.version().plainFlag() | Hj212Packet.FLAG_ASKS_FOR_REPLY,
        packet.pnum(),
        packet.pno(),
        packet.cp(),
        resent);
  }

  /**
   * The bytes on the wire: the encoded packet, its data area SM4-encrypted when the station has a
   * key.
   */
  public static byte[] frame(Hj212Packet packet, StationLogin login, ZoneId stationZone) {
    byte[] plain = Hj212Codec.encode(packet, stationZone);
    return login.sm4Key() == null ? plain : Hj212Sm4.encrypt(plain, login.sm4Key());
  }

  private Connection connection(String pointId, StationLogin login) {
    return connections.computeIfAbsent(
        pointId,
        id -> {
          Connection connection = new Connection();
          if (login.version() == Hj212Version.HJ_212_2025) {
            long period = heartbeat.toMillis();
            heartbeats.scheduleAtFixedRate(
                () -> connection.sender.execute(() -> connection.heartbeat(login)),
                period,
                period,
                TimeUnit.MILLISECONDS);
          }
          return connection;
        });
  }

  /** Writes a packet and reads its 9014 reply, one station at a time. */
  private final class Connection {
    final ExecutorService sender =
        Executors.newSingleThreadExecutor(r -> daemon(r, "hj212-station"));
    Socket socket;
    Hj212FrameDecoder decoder = new Hj212FrameDecoder();
    final Deque<FrameEvent> received = new ArrayDeque<>();

    /**
     * A 9015 heartbeat on an open connection, answered 9013; none while the station is not
     * connected (it connects for its next data packet). A missing answer closes the connection.
     */
    void heartbeat(StationLogin login) {
      if (socket == null || socket.isClosed()) {
        return;
      }
      Hj212Packet beat =
          new Hj212Packet(
              QN.format(clock.instant().atZone(stationZone)),
              Hj212Codec.ST_SYSTEM_INTERACTION,
              Hj212Codec.CN_HEARTBEAT,
              login.password(),
              login.mn(),
              login.version().plainFlag() | Hj212Packet.FLAG_ASKS_FOR_REPLY,
              null,
              null,
              CpData.EMPTY);
      try {
        exchange(
            Hj212Codec.encode(beat, stationZone), beat.qn(), Hj212Codec.CN_NOTIFICATION_RESPONSE);
        heartbeatsAnswered.incrementAndGet();
      } catch (RuntimeException e) {
        // the next data packet reconnects; the heartbeat itself is not a reading
      }
    }

    void exchange(byte[] frame, String qn, String replyCn) {
      try {
        if (socket == null || socket.isClosed()) {
          socket = new Socket();
          socket.connect(gateway, (int) replyTimeout.toMillis());
          socket.setSoTimeout((int) replyTimeout.toMillis());
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
        awaitReply(socket.getInputStream(), qn, replyCn);
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        throw e instanceof RuntimeException runtime
            ? runtime
            : new UncheckedIOException((IOException) e);
      }
    }

    private void awaitReply(InputStream in, String qn, String replyCn) throws IOException {
      byte[] buffer = new byte[1024];
      while (true) {
        while (!received.isEmpty()) {
          if (received.poll() instanceof FrameEvent.Frame reply && isReplyTo(reply, qn, replyCn)) {
            return;
          }
        }
        int read;
        try {
          read = in.read(buffer);
        } catch (SocketTimeoutException e) {
          throw new IllegalStateException("no " + replyCn + " reply within " + replyTimeout, e);
        }
        if (read < 0) {
          throw new IllegalStateException(
              "the gateway closed the connection without a " + replyCn + " reply");
        }
        received.addAll(decoder.feed(buffer, 0, read));
      }
    }

    private boolean isReplyTo(FrameEvent.Frame reply, String qn, String replyCn) {
      try {
        Hj212Packet packet = Hj212Codec.decodeFrame(reply.bytes(), stationZone);
        return replyCn.equals(packet.cn()) && qn.equals(packet.qn());
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

  /** Heartbeats answered by the gateway so far (all stations). */
  public long heartbeatsAnswered() {
    return heartbeatsAnswered.get();
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    connections.values().forEach(c -> c.sender.submit(c::closeQuietly));
    connections.values().forEach(c -> c.sender.shutdown());
  }
}
