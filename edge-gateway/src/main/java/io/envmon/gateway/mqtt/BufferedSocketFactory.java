package io.envmon.gateway.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input is read through a buffer, for Paho's receiver: it reads a packet's
 * fixed header a byte at a time and asks {@code available()} before each packet, and on a socket's
 * own stream each of those is a system call (a read, and a poll when nothing is waiting). The
 * buffer takes whatever the broker sent in one read. Only for {@code tcp://}: Paho requires an
 * {@code SSLSocketFactory} for {@code ssl://}. Measured in docs/performance.md "The second pass".
 */
final class BufferedSocketFactory extends SocketFactory {

  /** Bytes read from the socket at most at once. */
  static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public Socket createSocket() {
    return new BufferedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  /** A buffered socket connected to {@code remote}, bound first to {@code local} unless null. */
  private static Socket connected(SocketAddress remote, SocketAddress local) throws IOException {
    Socket socket = new BufferedSocket();
    if (local != null) {
      socket.bind(local);
    }
    socket.connect(remote);
    return socket;
  }

  /** A socket whose one input stream is buffered. */
  static final class BufferedSocket extends Socket {

    private InputStream input;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input = new Buffered(super.getInputStream());
      }
      return input;
    }
  }

  /** Answers {@code available()} from the buffer while it holds bytes, without a system call. */
  private static final class Buffered extends BufferedInputStream {

    Buffered(InputStream in) {
      super(in, BUFFER_BYTES);
    }

    @Override
    public synchronized int available() throws IOException {
      int buffered = count - pos;
      return buffered > 0 ? buffered : super.available();
    }
  }
}
