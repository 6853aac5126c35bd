package io.envmon.gateway.mqtt;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {

  @Test
  void bytesAreReadInOrderAcrossATimeoutAndAvailableCountsTheBuffer() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new BufferedSocketFactory().createSocket()) {
      client.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
      client.setSoTimeout(200); // as Paho does (1 s)
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        InputStream in = client.getInputStream();
        assertThat(client.getInputStream()).isSameAs(in);

        out.write("abc".getBytes(US_ASCII));
        out.flush();
        assertThat(in.read()).isEqualTo('a');
        // The rest of the first read is in the buffer.
        assertThat(in.available()).isEqualTo(2);
        byte[] two = new byte[2];
        assertThat(in.readNBytes(two, 0, 2)).isEqualTo(2);
        assertThat(new String(two, US_ASCII)).isEqualTo("bc");
        assertThat(in.available()).isZero();

        // Nothing sent: the read times out, as on the socket's own stream, and loses nothing.
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        out.write("de".getBytes(US_ASCII));
        out.flush();
        assertThat(in.read()).isEqualTo('d');
        assertThat(in.read()).isEqualTo('e');

        peer.shutdownOutput();
        assertThat(in.read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void theConnectingFactoryMethodsGiveBufferedSockets() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        Socket byName =
            new BufferedSocketFactory()
                .createSocket(server.getInetAddress().getHostAddress(), server.getLocalPort());
        Socket byAddress =
            new BufferedSocketFactory()
                .createSocket(server.getInetAddress(), server.getLocalPort())) {
      assertThat(byName)
          .isInstanceOf(BufferedSocketFactory.BufferedSocket.class)
          .matches(Socket::isConnected);
      assertThat(byAddress)
          .isInstanceOf(BufferedSocketFactory.BufferedSocket.class)
          .matches(Socket::isConnected);
    }
  }
}
