package io.envmon.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device POSTs over CoAPs (DTLS 1.2, its own pre-shared key) to the real gateway. */
@WithRealInfrastructure
class CoapsIngestIT {

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private static final String POINT = "wujiang-air-09";
  private static final String OTHER_POINT = "wujiang-air-10";

  @TempDir Path directory;

  private static CoapResponse securePost(int port, String pointId, String identity, String key)
      throws Exception {
    Configuration configuration = Configuration.createStandardWithoutFile();
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(configuration)
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.UTF_8)))
            .build();
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(configuration)
            .setConnector(new DTLSConnector(dtls))
            .build();
    CoapClient client =
        new CoapClient("coaps://127.0.0.1:" + port + "/v1/points/" + pointId + "/readings");
    client.setEndpoint(endpoint);
    client.setTimeout(20_000L);
    try {
      Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Reading reading =
          new Reading(
              Reading.idFor(pointId, at),
              pointId,
              at,
              List.of(Measurement.valid(Parameter.PM10, 44)),
              Source.COAPS);
      return client.post(
          SenmlReadingEncoder.toJson(reading), MediaTypeRegistry.APPLICATION_SENML_JSON);
    } finally {
      client.shutdown();
      endpoint.destroy();
    }
  }

  @Test
  @DisplayName(
      "a device with its PSK is answered 2.04 for its own point and 4.03 for a point not its own")
  void pskDeviceMaySendOnlyForItsPoints(Infrastructure infrastructure) throws Exception {
    Path credentials = directory.resolve("devices.properties");
    Files.writeString(
        credentials, "device.sensor-1.points=" + POINT + "\ndevice.sensor-1.secret=sensor-1-key\n");
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool"),
            Map.of(
                "mqtt.url", "",
                "coaps.port", "0",
                "credentials.file", credentials.toString()));
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure,
            config,
            List.of(
                TestPoints.air(POINT, config.cityId()),
                TestPoints.air(OTHER_POINT, config.cityId())))) {
      int port = running.gateway.coap().securePort();

      CoapResponse own = securePost(port, POINT, "sensor-1", "sensor-1-key");
      assertThat(own.getCode()).isEqualTo(ResponseCode.CHANGED);
      AcceptedReading forwarded = running.awaitForwarded(r -> r.reading().pointId().equals(POINT));
      assertThat(forwarded.reading().source()).isEqualTo(Source.COAPS);

      CoapResponse notOwn = securePost(port, OTHER_POINT, "sensor-1", "sensor-1-key");
      assertThat(notOwn.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(notOwn.getResponseText())
          .contains("\"reason\":\"unauthorised\"")
          .contains("device sensor-1 may not send for point " + OTHER_POINT);
    }
  }

  @Test
  @DisplayName(
      "a changed credentials file applies without a restart (new point, new device and key);"
          + " a broken one keeps the devices in use")
  void changedCredentialsApplyWithoutRestart(Infrastructure infrastructure) throws Exception {
    Path credentials = directory.resolve("devices.properties");
    Files.writeString(
        credentials, "device.sensor-1.points=" + POINT + "\ndevice.sensor-1.secret=sensor-1-key\n");
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool"),
            Map.of(
                "mqtt.url", "",
                "coaps.port", "0",
                "credentials.file", credentials.toString(),
                "credentials.reload.seconds", "1"));
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure,
            config,
            List.of(
                TestPoints.air(POINT, config.cityId()),
                TestPoints.air(OTHER_POINT, config.cityId())))) {
      int port = running.gateway.coap().securePort();
      var reloader = running.gateway.credentialsReloader();
      assertThat(securePost(port, OTHER_POINT, "sensor-1", "sensor-1-key").getCode())
          .isEqualTo(ResponseCode.FORBIDDEN);

      replace(
          credentials,
          "device.sensor-1.points="
              + POINT
              + ","
              + OTHER_POINT
              + "\ndevice.sensor-1.secret=sensor-1-key\n"
              + "device.sensor-2.points="
              + POINT
              + "\ndevice.sensor-2.secret=sensor-2-key\n");
      await().atMost(Duration.ofSeconds(20)).until(() -> reloader.reloads() == 1);
      assertThat(securePost(port, OTHER_POINT, "sensor-1", "sensor-1-key").getCode())
          .isEqualTo(ResponseCode.CHANGED);
      assertThat(securePost(port, POINT, "sensor-2", "sensor-2-key").getCode())
          .isEqualTo(ResponseCode.CHANGED);

      replace(credentials, "device.sensor-1.points=" + POINT + "\ndevice.sensor-1.secrit=typo\n");
      await().atMost(Duration.ofSeconds(20)).until(() -> reloader.failures() == 1);
      assertThat(securePost(port, OTHER_POINT, "sensor-1", "sensor-1-key").getCode())
          .isEqualTo(ResponseCode.CHANGED);
      assertThat(reloader.reloads()).isEqualTo(1);
      assertThat(running.gateway.credentials().size()).isEqualTo(2);
    }
  }

  /** Writes {@code text} to a temporary file and renames it over {@code file}. */
  private static void replace(Path file, String text) throws Exception {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, text);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
