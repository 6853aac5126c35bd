package io.envmon.gateway.coap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.Gateway;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.health.HealthServer;
import io.envmon.gateway.registry.RegistrySnapshot;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device POSTs SenML over real CoAP (UDP); readings land in the real Kafka. */
@WithRealInfrastructure
class CoapIngestIT {

  private static final String POINT = "wujiang-air-07";

  @TempDir Path directory;

  private static Reading reading(Instant at, Measurement... measurements) {
    return new Reading(Reading.idFor(POINT, at), POINT, at, List.of(measurements), Source.COAP);
  }

  private static CoapResponse post(int port, String pointId, byte[] payload, int format)
      throws Exception {
    CoapClient client =
        new CoapClient("coap://127.0.0.1:" + port + "/v1/points/" + pointId + "/readings");
    try {
      client.setTimeout(20_000L);
      return client.post(payload, format);
    } finally {
      client.shutdown();
    }
  }

  /**
   * A plain CoAP POST sent from {@code sourceAddress} (another loopback address) to the gateway.
   */
  private static CoapResponse postFrom(
      String sourceAddress, int port, String pointId, byte[] payload) throws Exception {
    CoapEndpoint endpoint =
        new CoapEndpoint.Builder()
            .setConfiguration(Configuration.createStandardWithoutFile())
            .setInetSocketAddress(new InetSocketAddress(sourceAddress, 0))
            .build();
    CoapClient client =
        new CoapClient("coap://127.0.0.1:" + port + "/v1/points/" + pointId + "/readings");
    client.setEndpoint(endpoint);
    try {
      client.setTimeout(20_000L);
      return client.post(payload, MediaTypeRegistry.APPLICATION_SENML_JSON);
    } finally {
      client.shutdown();
    }
  }

  /**
   * A credentials file whose devices may send plain CoAP from 127.0.0.1, each for its points:
   * {@code lines} are {@code deviceId=point,point}.
   */
  private Path plainDevices(String... lines) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      String[] parts = line.split("=", 2);
      text.append("device.").append(parts[0]).append(".points=").append(parts[1]).append('\n');
      text.append("device.").append(parts[0]).append(".coap.plain-from=127.0.0.1\n");
    }
    Path file = directory.resolve("devices-" + UUID.randomUUID() + ".properties");
    Files.writeString(file, text.toString());
    return file;
  }

  private static byte[] json(String pointId, Instant at, Measurement measurement) {
    return SenmlReadingEncoder.toJson(
        new Reading(Reading.idFor(pointId, at), pointId, at, List.of(measurement), Source.COAP));
  }

  @Test
  @DisplayName("SenML JSON and SenML CBOR are answered 2.04 and land in Kafka")
  void senmlJsonAndCborAreSpooledAndForwarded(Infrastructure infrastructure) throws Exception {
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory,
            Map.of(
                "mqtt.url", "", "credentials.file", plainDevices("sensor-7=" + POINT).toString()));
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure, config, List.of(TestPoints.air(POINT, config.cityId())))) {
      int port = running.gateway.coap().port();
      Instant t1 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant t2 = t1.minusSeconds(60);

      CoapResponse json =
          post(
              port,
              POINT,
              SenmlReadingEncoder.toJson(reading(t1, Measurement.valid(Parameter.PM25, 12))),
              MediaTypeRegistry.APPLICATION_SENML_JSON);
      CoapResponse cbor =
          post(
              port,
              POINT,
              SenmlReadingEncoder.toCbor(reading(t2, Measurement.valid(Parameter.O3, 90))),
              MediaTypeRegistry.APPLICATION_SENML_CBOR);

      assertThat(json.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(cbor.getCode()).isEqualTo(ResponseCode.CHANGED);
      AcceptedReading first = running.awaitForwarded(r -> r.reading().observedAt().equals(t1));
      AcceptedReading second = running.awaitForwarded(r -> r.reading().observedAt().equals(t2));
      assertThat(first.reading().source()).isEqualTo(Source.COAP);
      assertThat(first.reading().measurements())
          .containsExactly(Measurement.valid(Parameter.PM25, 12));
      assertThat(second.reading().measurements())
          .containsExactly(Measurement.valid(Parameter.O3, 90));
    }
  }

  @Test
  @DisplayName(
      "bad input and a decommissioned point get 4.00, another city's point 4.03, another format 4.15")
  void badInputGetsItsCode(Infrastructure infrastructure) throws Exception {
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory,
            Map.of(
                "mqtt.url",
                "",
                "credentials.file",
                plainDevices("sensor-7=" + POINT + ",wujiang-air-90,elsewhere-air-01").toString()));
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure,
            config,
            List.of(
                TestPoints.air(POINT, config.cityId()),
                TestPoints.withStatus(
                    TestPoints.air("wujiang-air-90", config.cityId()), PointStatus.DECOMMISSIONED),
                TestPoints.air("elsewhere-air-01", "othercity")))) {
      int port = running.gateway.coap().port();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      CoapResponse impossible =
          post(
              port,
              POINT,
              SenmlReadingEncoder.toJson(reading(now, Measurement.valid(Parameter.PM25, -1))),
              MediaTypeRegistry.APPLICATION_SENML_JSON);
      assertThat(impossible.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
      assertThat(impossible.getResponseText())
          .isEqualTo(
              "{\"pointId\":\""
                  + POINT
                  + "\",\"accepted\":0,\"refused\":[{\"reason\":\"impossible_value\","
                  + "\"location\":\"pm25\",\"detail\":\"value -1.0 ug/m3 is outside 0 or more\"}]}");

      CoapResponse garbage =
          post(port, POINT, "not senml".getBytes(UTF_8), MediaTypeRegistry.APPLICATION_SENML_JSON);
      assertThat(garbage.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
      assertThat(garbage.getResponseText()).contains("\"reason\":\"malformed\"");

      CoapResponse otherCity =
          post(
              port,
              "elsewhere-air-01",
              "[]".getBytes(UTF_8),
              MediaTypeRegistry.APPLICATION_SENML_JSON);
      assertThat(otherCity.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(otherCity.getResponseText()).contains("point_of_other_city");

      CoapResponse decommissioned =
          post(
              port,
              "wujiang-air-90",
              SenmlReadingEncoder.toJson(
                  new Reading(
                      Reading.idFor("wujiang-air-90", now),
                      "wujiang-air-90",
                      now,
                      List.of(Measurement.valid(Parameter.PM25, 3)),
                      Source.COAP)),
              MediaTypeRegistry.APPLICATION_SENML_JSON);
      assertThat(decommissioned.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
      assertThat(decommissioned.getResponseText())
          .isEqualTo(
              "{\"pointId\":\"wujiang-air-90\",\"accepted\":0,\"refused\":[{\"reason\":"
                  + "\"point_decommissioned\",\"location\":\"\",\"detail\":\"point"
                  + " 'wujiang-air-90' is DECOMMISSIONED; it takes no more readings\"}]}");
      assertThat(running.gateway.intake().refusals().count(RefusalReason.POINT_DECOMMISSIONED))
          .isEqualTo(1);

      CoapResponse text = post(port, POINT, "pm25=3".getBytes(UTF_8), MediaTypeRegistry.TEXT_PLAIN);
      assertThat(text.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
      assertThat(text.getResponseText()).contains("110 (SenML JSON) or 112 (SenML CBOR)");
      assertThat(running.gateway.spool().nextSequence()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "with Kafka unreachable the gateway starts from its registry snapshot and answers 5.03"
          + " with Max-Age once the spool is full")
  void fullSpoolAnswersServiceUnavailableWithMaxAge(Infrastructure infrastructure)
      throws Exception {
    int deadPort;
    try (ServerSocket free = new ServerSocket(0)) {
      deadPort = free.getLocalPort();
    }
    Path spool = directory.resolve("spool");
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            spool,
            Map.of(
                "mqtt.url", "",
                "kafka.bootstrap", "127.0.0.1:" + deadPort,
                "spool.cap.bytes", "2048",
                "spool.segment.bytes", "1024",
                "credentials.file", plainDevices("sensor-7=" + POINT).toString()));
    new RegistrySnapshot(spool.resolve("registry.jsonl"))
        .save(List.of(TestPoints.air(POINT, config.cityId())));
    try (Gateway gateway = new Gateway(config, Clock.systemUTC()).start()) {
      assertThat(gateway.registry().find(POINT)).isPresent();
      int port = gateway.coap().port();
      Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      CoapResponse response;
      int sent = 0;
      do {
        response =
            post(
                port,
                POINT,
                SenmlReadingEncoder.toJson(
                    reading(t.minusSeconds(sent), Measurement.valid(Parameter.PM25, sent))),
                MediaTypeRegistry.APPLICATION_SENML_JSON);
        sent++;
      } while (response.getCode() == ResponseCode.CHANGED && sent < 100);

      assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
      assertThat(response.getOptions().getMaxAge()).isEqualTo(30L);
      assertThat(gateway.spool().depth()).isEqualTo(sent - 1);
      assertThat(gateway.intake().spoolFullAnswers()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "plain CoAP without a device is 4.01, and a plain-from device is 2.04 for its own point and"
          + " 4.03 for another: nothing of the refused is spooled, each counted")
  void plainCoapNeedsADeviceBoundToThePoint(Infrastructure infrastructure) throws Exception {
    String other = "wujiang-water-07";
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory,
            Map.of(
                "mqtt.url", "", "credentials.file", plainDevices("noise-7=" + POINT).toString()));
    try (RunningGateway running =
        RunningGateway.start(
            infrastructure,
            config,
            List.of(
                TestPoints.air(POINT, config.cityId()),
                TestPoints.water(other, config.cityId())))) {
      int port = running.gateway.coap().port();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      CoapResponse anonymous =
          postFrom(
              "127.0.0.2", port, POINT, json(POINT, now, Measurement.valid(Parameter.PM25, 1)));
      CoapResponse otherPoint =
          postFrom("127.0.0.1", port, other, json(other, now, Measurement.valid(Parameter.PH, 7)));
      CoapResponse own =
          postFrom(
              "127.0.0.1", port, POINT, json(POINT, now, Measurement.valid(Parameter.PM25, 2)));

      assertThat(anonymous.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
      assertThat(anonymous.getResponseText())
          .isEqualTo(
              "{\"pointId\":\""
                  + POINT
                  + "\",\"accepted\":0,\"refused\":[{\"reason\":\"unauthorised\",\"location\":"
                  + "\"identity\",\"detail\":\"plain CoAP from 127.0.0.2 carries no device identity"
                  + " and no device's coap.plain-from names this address: send over CoAPs with the"
                  + " device's pre-shared key\"}]}");
      assertThat(otherPoint.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(otherPoint.getResponseText())
          .contains(
              "plain CoAP from 127.0.0.1 is allowed for device noise-7, which may not send for"
                  + " point "
                  + other);
      assertThat(own.getCode()).isEqualTo(ResponseCode.CHANGED);
      AcceptedReading landed = running.awaitForwarded(r -> r.reading().pointId().equals(POINT));
      assertThat(landed.reading().measurements())
          .containsExactly(Measurement.valid(Parameter.PM25, 2));
      assertThat(running.gateway.spool().nextSequence()).isEqualTo(2); // only the one
      assertThat(running.gateway.intake().refusals().count(RefusalReason.UNAUTHORISED))
          .isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "a flooding device is answered 4.29 with Max-Age and counted, while another device's"
          + " readings still land")
  void aFloodingDeviceIsThrottledAlone(Infrastructure infrastructure) throws Exception {
    String neighbour = "wujiang-air-08";
    Path devices = plainDevices("flooder=" + POINT, "neighbour=" + neighbour);
    Files.writeString(devices, "device.flooder.interval=PT1H\n", StandardOpenOption.APPEND);
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory,
            Map.of(
                "mqtt.url",
                "",
                "credentials.file",
                devices.toString(),
                "limit.rate.factor",
                "2",
                "limit.burst.readings",
                "3"));
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure,
                config,
                List.of(
                    TestPoints.air(POINT, config.cityId()),
                    TestPoints.air(neighbour, config.cityId())));
        HealthServer health =
            new HealthServer(new InetSocketAddress("127.0.0.1", 0), running.gateway).start()) {
      int port = running.gateway.coap().port();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      List<ResponseCode> flood = new java.util.ArrayList<>();
      CoapResponse throttled = null;
      for (int i = 0; i < 5; i++) {
        CoapResponse response =
            post(
                port,
                POINT,
                json(POINT, now.minusSeconds(i), Measurement.valid(Parameter.PM25, i)),
                MediaTypeRegistry.APPLICATION_SENML_JSON);
        flood.add(response.getCode());
        if (response.getCode() == ResponseCode.TOO_MANY_REQUESTS) {
          throttled = response;
        }
      }
      CoapResponse calm =
          post(
              port,
              neighbour,
              json(neighbour, now, Measurement.valid(Parameter.PM10, 30)),
              MediaTypeRegistry.APPLICATION_SENML_JSON);

      // A burst of 3, then 2 × one reading an hour: the next token in 30 minutes.
      assertThat(flood)
          .containsExactly(
              ResponseCode.CHANGED,
              ResponseCode.CHANGED,
              ResponseCode.CHANGED,
              ResponseCode.TOO_MANY_REQUESTS,
              ResponseCode.TOO_MANY_REQUESTS);
      assertThat(throttled.getOptions().getMaxAge()).isBetween(1700L, 1800L);
      assertThat(throttled.getResponseText())
          .contains(
              "\"reason\":\"throttled\",\"location\":\"device\",\"detail\":\"device flooder"
                  + " sends more than 2 × its interval PT1H allows (0.03 readings/min sustained,"
                  + " bursts of 3); retry in");
      assertThat(calm.getCode()).isEqualTo(ResponseCode.CHANGED);
      running.awaitForwarded(r -> r.reading().pointId().equals(neighbour));
      assertThat(running.gateway.intake().refusals().count(RefusalReason.THROTTLED)).isEqualTo(2);
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + health.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("envmon_gateway_throttled_total{device=\"flooder\"} 2\n")
          .doesNotContain("device=\"neighbour\"")
          .contains("envmon_gateway_refused_total{reason=\"throttled\"} 2\n");
    }
  }
}
