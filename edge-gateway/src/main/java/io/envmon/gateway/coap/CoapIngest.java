package io.envmon.gateway.coap;

import io.envmon.domain.reading.Source;
import io.envmon.gateway.Intake;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CoAP listener: a Californium server with {@code /v1/points/{pointId}/readings}. */
public final class CoapIngest implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CoapIngest.class);

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  private final CoapServer server;
  private final CoapEndpoint endpoint;

  public CoapIngest(InetSocketAddress bind, Intake intake, Clock clock) {
    Configuration configuration = Configuration.createStandardWithoutFile();
    this.server = new CoapServer(configuration);
    this.endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(configuration)
            .setInetSocketAddress(bind)
            .build();
    server.addEndpoint(endpoint);
    CoapResource v1 = new CoapResource("v1");
    v1.add(new PointReadingsResource(intake, clock, Source.COAP));
    server.add(v1);
  }

  public CoapIngest start() {
    server.start();
    log.info("CoAP: listening on udp {}", endpoint.getAddress());
    return this;
  }

  public int port() {
    return endpoint.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop();
    server.destroy();
  }
}
