package io.envmon.sim.transport;

import io.envmon.domain.reading.Reading;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.sim.station.Station;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * CoAP station firmware: {@code POST /v1/points/{pointId}/readings} with SenML JSON (110) or CBOR
 * (112), confirmable; acknowledged by 2.04 Changed, any other answer fails the send with its code
 * and diagnostic payload. With PSK identities it speaks CoAPs (DTLS 1.2 PSK), one DTLS session per
 * station as each device holds its own key.
 */
public final class CoapTransport implements Transport {

  /** A device's DTLS PSK identity and secret. */
  public record PskIdentity(String identity, String secret) {}

  private final InetSocketAddress gateway;
  private final boolean cbor;
  private final Map<String, PskIdentity> pskByPoint;
  private final Configuration configuration = Configuration.createStandardWithoutFile();
  private final Map<String, CoapClient> clients = new ConcurrentHashMap<>();

  /**
   * @param pskByPoint empty for plain CoAP; otherwise every station's PSK identity (CoAPs)
   */
  public CoapTransport(
      InetSocketAddress gateway, boolean cbor, Map<String, PskIdentity> pskByPoint) {
    this.gateway = gateway;
    this.cbor = cbor;
    this.pskByPoint = Map.copyOf(pskByPoint);
  }

  private boolean secure() {
    return !pskByPoint.isEmpty();
  }

  @Override
  public CompletableFuture<Void> send(Station station, Reading reading) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    CoapClient client;
    try {
      client = clients.computeIfAbsent(secure() ? station.pointId() : "", this::newClient);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Request request = Request.newPost();
    request.setURI(
        "%s://%s:%d/v1/points/%s/readings"
            .formatted(
                secure() ? "coaps" : "coap",
                gateway.getHostString(),
                gateway.getPort(),
                station.pointId()));
    request.setPayload(
        cbor ? SenmlReadingEncoder.toCbor(reading) : SenmlReadingEncoder.toJson(reading));
    request
        .getOptions()
        .setContentFormat(
            cbor
                ? MediaTypeRegistry.APPLICATION_SENML_CBOR
                : MediaTypeRegistry.APPLICATION_SENML_JSON);
    client.advanced(
        new CoapHandler() {
          @Override
          public void onLoad(CoapResponse response) {
            if (response.getCode() == CoAP.ResponseCode.CHANGED) {
              acknowledged.complete(null);
            } else {
              acknowledged.completeExceptionally(
                  new IllegalStateException(
                      "CoAP "
                          + response.getCode().text
                          + ": "
                          + new String(response.getPayload(), StandardCharsets.UTF_8)));
            }
          }

          @Override
          public void onError() {
            acknowledged.completeExceptionally(
                new IllegalStateException("CoAP request failed (timeout or connection)"));
          }
        },
        request);
    return acknowledged;
  }

  private CoapClient newClient(String pointId) {
    Endpoint endpoint;
    if (secure()) {
      PskIdentity psk = pskByPoint.get(pointId);
      if (psk == null) {
        throw new IllegalArgumentException("no PSK identity for " + pointId);
      }
      DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(configuration)
              .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
              .setAdvancedPskStore(
                  new AdvancedSinglePskStore(
                      psk.identity(), psk.secret().getBytes(StandardCharsets.UTF_8)))
              .build();
      endpoint =
          new CoapEndpoint.Builder()
              .setConfiguration(configuration)
              .setConnector(new DTLSConnector(dtls))
              .build();
    } else {
      endpoint = new CoapEndpoint.Builder().setConfiguration(configuration).build();
    }
    CoapClient client = new CoapClient();
    client.setEndpoint(endpoint);
    return client;
  }

  @Override
  public void close() {
    clients.values().forEach(CoapClient::shutdown);
    clients.clear();
  }
}
