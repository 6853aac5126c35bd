package io.envmon.gateway.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.FactorError;
import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212DecodeResult;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.reading.Source;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.Refusal;
import io.envmon.gateway.validation.RefusalReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HJ 212-2017 over TCP: one blocking thread per connection, at most {@code maxConnections} at a
 * time (more are closed at once). Frames packets across TCP segments, refuses bad framing, bad CRC,
 * unknown MN and wrong PW without a reply, and answers 9014 only when the packet's Flag asks for it
 * and only after its reading is in the spool. A connection silent for the read timeout is closed.
 */
public final class Hj212Server implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Hj212Server.class);

  private final Intake intake;
  private final DeviceCredentials credentials;
  private final int maxConnections;
  private final Duration readTimeout;
  private final int maxDataLength;
  private final ServerSocket serverSocket;
  private final ExecutorService connections;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final LongAdder connectionsRefused = new LongAdder();
  private final LongAdder responses = new LongAdder();
  private volatile boolean running = true;

  public Hj212Server(
      InetSocketAddress bind,
      Intake intake,
      DeviceCredentials credentials,
      int maxConnections,
      Duration readTimeout,
      int maxDataLength)
      throws IOException {
    this.intake = Objects.requireNonNull(intake, "intake");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.maxConnections = maxConnections;
    this.readTimeout = readTimeout;
    this.maxDataLength = maxDataLength;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(bind, 64);
    this.slots = new Semaphore(maxConnections);
    this.connections = Executors.newFixedThreadPool(maxConnections, named("hj212-connection"));
    this.acceptor = new Thread(this::accept, "hj212-acceptor");
    acceptor.setDaemon(true);
  }

  public Hj212Server start() {
    acceptor.start();
    log.info(
        "HJ 212: listening on {} (max {} connections, read timeout {} s)",
        serverSocket.getLocalSocketAddress(),
        maxConnections,
        readTimeout.toSeconds());
    return this;
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  public long connectionsRefused() {
    return connectionsRefused.sum();
  }

  public long responsesSent() {
    return responses.sum();
  }

  public int openConnections() {
    return open.size();
  }

  private void accept() {
    while (running) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (running) {
          log.warn("HJ 212: accept failed: {}", e.toString());
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        connectionsRefused.increment();
        closeQuietly(socket);
        continue;
      }
      open.add(socket);
      connections.execute(
          () -> {
            try {
              serve(socket);
            } finally {
              open.remove(socket);
              closeQuietly(socket);
              slots.release();
            }
          });
    }
  }

  private void serve(Socket socket) {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    Hj212FrameDecoder decoder = new Hj212FrameDecoder(maxDataLength);
    byte[] buffer = new byte[4096];
    try {
      socket.setSoTimeout((int) readTimeout.toMillis());
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int read;
      while (running && (read = in.read(buffer)) >= 0) {
        for (FrameEvent event : decoder.feed(buffer, 0, read)) {
          handle(event, out, peer);
        }
      }
      decoder.finish().forEach(event -> countFramingError(event, peer));
    } catch (SocketTimeoutException e) {
      log.debug("HJ 212: {} silent for {} s; closing", peer, readTimeout.toSeconds());
    } catch (IOException e) {
      log.debug("HJ 212: connection {} ended: {}", peer, e.toString());
    }
  }

  private void handle(FrameEvent event, OutputStream out, String peer) throws IOException {
    if (!(event instanceof FrameEvent.Frame frame)) {
      countFramingError(event, peer);
      return;
    }
    Hj212Packet packet;
    try {
      packet = Hj212Codec.decodeFrame(frame.bytes());
    } catch (DecodeException e) {
      intake.undecodable(
          Source.HJ212,
          peer,
          new Refusal(RefusalReason.MALFORMED, e.location(), e.reason()),
          frame.bytes());
      return;
    }
    Optional<DeviceCredentials.Device> station = credentials.byHj212Mn(packet.mn());
    if (station.isEmpty()) {
      intake.refuse(
          peer, new Refusal(RefusalReason.UNAUTHORISED, "MN", "unknown station MN " + packet.mn()));
      return;
    }
    if (!Objects.equals(station.get().hj212Pw(), packet.pw())) {
      intake.refuse(
          peer,
          new Refusal(RefusalReason.UNAUTHORISED, "PW", "wrong PW for station MN " + packet.mn()));
      return;
    }
    String pointId = station.get().pointIds().get(0);
    Hj212DecodeResult decoded;
    try {
      decoded = Hj212ReadingMapper.toReadings(packet, pointId);
    } catch (DecodeException e) {
      intake.refuse(pointId, new Refusal(RefusalReason.MALFORMED, e.location(), e.reason()));
      return;
    }
    List<Refusal> factorRefusals = decoded.errors().stream().map(Hj212Server::asRefusal).toList();
    Intake.Outcome outcome = intake.accept(pointId, decoded.readings(), factorRefusals);
    if (outcome.spoolFull()) {
      return; // no 9014: the station keeps the data and sends it again
    }
    if (packet.asksForReply()) {
      out.write(Hj212Codec.dataResponse(packet));
      out.flush();
      responses.increment();
    }
  }

  private static Refusal asRefusal(FactorError error) {
    return new Refusal(
        RefusalReason.MALFORMED, error.factorCode() + "-" + error.field(), error.reason());
  }

  private void countFramingError(FrameEvent event, String peer) {
    if (event instanceof FrameEvent.FramingError error) {
      intake.refuse(
          peer,
          new Refusal(
              RefusalReason.MALFORMED,
              "stream offset " + error.streamOffset(),
              error.reason() + " (" + error.discardedBytes() + " bytes dropped)"));
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("HJ 212: closing {} failed", socket, e);
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    LongAdder counter = new LongAdder();
    return runnable -> {
      counter.increment();
      Thread thread = new Thread(runnable, prefix + "-" + counter.sum());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    running = false;
    try {
      serverSocket.close();
    } catch (IOException e) {
      log.debug("HJ 212: closing the server socket failed", e);
    }
    open.forEach(Hj212Server::closeQuietly);
    connections.shutdown();
    try {
      connections.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
