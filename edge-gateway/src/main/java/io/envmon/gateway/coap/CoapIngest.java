package io.envmon.gateway.coap;

import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP listeners: a Californium server with {@code /v1/points/{pointId}/readings} on plain UDP
 * and, when a secure address is given, on DTLS 1.2 with a pre-shared key per device (Scandium; the
 * PSK identity is the device id, the key its {@code secret} in the credentials file).
 */
public final class CoapIngest implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CoapIngest.class);

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final CoapServer server;
  private final CoapEndpoint endpoint;
  private final CoapEndpoint secureEndpoint;

  /**
   * @param bind the plain CoAP address, or null for none
   * @param secureBind the CoAPs address, or null for none
   */
  public CoapIngest(
      InetSocketAddress bind,
      InetSocketAddress secureBind,
      Intake intake,
      DeviceCredentials credentials,
      Clock clock) {
    Configuration configuration = Configuration.createStandardWithoutFile();
    this.server = new CoapServer(configuration);
    this.endpoint =
        bind == null
            ? null
            : new CoapEndpoint.Builder()
                .setConfiguration(configuration)
                .setInetSocketAddress(bind)
                .build();
    if (endpoint != null) {
      server.addEndpoint(endpoint);
    }
    if (secureBind != null) {
      AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
      Set<String> identities = new HashSet<>();
      setKeys(keys, identities, credentials);
      // A reloaded credentials file: new and changed keys apply to the next handshake; a removed
      // device keeps no key (and its open DTLS sessions get 4.01 from the resource).
      credentials.onChange(changed -> setKeys(keys, identities, changed));
      DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(configuration)
              .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
              .setAddress(secureBind)
              .setAdvancedPskStore(keys)
              .build();
      this.secureEndpoint =
          new CoapEndpoint.Builder()
              .setConfiguration(configuration)
              .setConnector(new DTLSConnector(dtls))
              .build();
      server.addEndpoint(secureEndpoint);
    } else {
      this.secureEndpoint = null;
    }
    CoapResource v1 = new CoapResource("v1");
    v1.add(new PointReadingsResource(intake, clock, credentials));
    server.add(v1);
  }

  private static synchronized void setKeys(
      AdvancedMultiPskStore keys, Set<String> identities, DeviceCredentials credentials) {
    Set<String> now = new HashSet<>();
    for (DeviceCredentials.Device device : credentials.all()) {
      if (device.secret() != null && !device.secret().isEmpty()) {
        keys.setKey(device.deviceId(), device.secret().getBytes(StandardCharsets.UTF_8));
        now.add(device.deviceId());
      }
    }
    for (String gone : identities) {
      if (!now.contains(gone)) {
        keys.removeKey(gone);
      }
    }
    identities.clear();
    identities.addAll(now);
  }

  public CoapIngest start() {
    server.start();
    if (endpoint != null) {
      log.info("CoAP: listening on udp {}", endpoint.getAddress());
    }
    if (secureEndpoint != null) {
      log.info("CoAPs: listening on DTLS 1.2 PSK {}", secureEndpoint.getAddress());
    }
    return this;
  }

  /** The plain CoAP port; -1 when off. */
  public int port() {
    return endpoint == null ? -1 : endpoint.getAddress().getPort();
  }

  /** The CoAPs port; -1 when off. */
  public int securePort() {
    return secureEndpoint == null ? -1 : secureEndpoint.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop();
    server.destroy();
  }
}
