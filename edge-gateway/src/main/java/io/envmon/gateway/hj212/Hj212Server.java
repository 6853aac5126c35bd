package io.envmon.gateway.hj212;

import io.envmon.domain.hj212.FrameEvent;
import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
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
 * HJ 212 (HJ/T 212-2005, HJ 212-2017, HJ 212-2025 on the same port) over TCP: one blocking thread
 * per connection, at most {@code maxConnections} at a time (more are closed at once). Frames
 * packets across TCP segments (encrypted ones too) and hands each to {@link Hj212PacketHandler},
 * which refuses bad framing, bad CRC, unknown MN and wrong PW without a reply and answers in the
 * packet's version. A connection silent for the read timeout is closed.
 */
public final class Hj212Server implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Hj212Server.class);

  private final Intake intake;
  private final Hj212PacketHandler handler;
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
    this.handler = new Hj212PacketHandler(intake, credentials, Clock.systemUTC());
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
    Optional<byte[]> reply = handler.handle(frame.bytes(), peer);
    if (reply.isPresent()) {
      out.write(reply.get());
      out.flush();
      responses.increment();
    }
  }

  /** What the server does with each packet; its counters are the gateway's HJ 212 metrics. */
  public Hj212PacketHandler packets() {
    return handler;
  }

  /** Stations heard from within the read timeout (a heartbeat or any other packet). */
  public int stationsOnline() {
    return handler.stationsOnline(readTimeout);
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
