package io.envmon.sim.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlCbor;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.senml.SenmlResolver;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.station.Station;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The CoAP station firmware against a minimal CoAP server in the test that answers as the contract
 * says; the gateway's own CoAP resource is tested in edge-gateway.
 */
@DisplayName("CoAP station firmware")
class CoapTransportTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant AT = Instant.parse("2025-11-21T14:00:00Z");
  private static final Station GOOD =
      new NoiseStation(
          "qingpu-noise-01", "qingpu", SHANGHAI, NoiseZone.Z1, Duration.ofMinutes(1), 5);
  private static final Station REFUSED =
      new NoiseStation(
          "qingpu-noise-99", "qingpu", SHANGHAI, NoiseZone.Z1, Duration.ofMinutes(1), 5);

  private final List<Reading> received = new CopyOnWriteArrayList<>();
  private CoapServer server;
  private InetSocketAddress address;

  /** Takes {@code /v1/points/{pointId}/readings}: every path segment below v1 lands here. */
  private final class Readings extends CoapResource {
    Readings() {
      super("v1");
    }

    @Override
    public Resource getChild(String name) {
      return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
      String pointId = exchange.getRequestOptions().getUriPath().get(2);
      if (exchange.getRequestOptions().getContentFormat()
          != MediaTypeRegistry.APPLICATION_SENML_CBOR) {
        exchange.respond(CoAP.ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        return;
      }
      if (pointId.equals(REFUSED.pointId())) {
        exchange.respond(CoAP.ResponseCode.FORBIDDEN, "unknown device for " + pointId);
        return;
      }
      try {
        received.addAll(
            SenmlReadingDecoder.toReadings(
                    SenmlResolver.resolve(
                        SenmlCbor.decode(exchange.getRequestPayload()), Clock.systemUTC()),
                    pointId,
                    Source.COAP)
                .readings());
        exchange.respond(CoAP.ResponseCode.CHANGED);
      } catch (Exception e) {
        exchange.respond(CoAP.ResponseCode.BAD_REQUEST, e.getMessage());
      }
    }
  }

  @BeforeEach
  void startServer() {
    Configuration configuration = Configuration.createStandardWithoutFile();
    server = new CoapServer(configuration);
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(configuration)
            .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build();
    server.addEndpoint(endpoint);
    server.add(new Readings());
    server.start();
    address = endpoint.getAddress();
  }

  @AfterEach
  void stopServer() {
    server.destroy();
  }

  private static Reading reading(Station station) {
    return new Reading(
        Reading.idFor(station.pointId(), AT),
        station.pointId(),
        AT,
        station.measure(AT),
        Source.COAP);
  }

  @Test
  void aSenmlCborPostIsAcknowledgedByChanged() throws Exception {
    try (CoapTransport transport = new CoapTransport(address, true, Map.of())) {
      transport.send(GOOD, reading(GOOD)).get(10, TimeUnit.SECONDS);
    }
    assertThat(received).singleElement().isEqualTo(reading(GOOD));
  }

  @Test
  void anyOtherAnswerFailsTheSendWithItsCodeAndDiagnostic() {
    try (CoapTransport transport = new CoapTransport(address, true, Map.of())) {
      assertThatThrownBy(() -> transport.send(REFUSED, reading(REFUSED)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("4.03")
          .hasMessageContaining("unknown device for qingpu-noise-99");
    }
  }
}
