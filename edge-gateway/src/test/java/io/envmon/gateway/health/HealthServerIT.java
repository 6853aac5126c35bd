package io.envmon.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.Intake;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithRealInfrastructure
class HealthServerIT {

  @TempDir Path directory;

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("/health says UP and /metrics counts received, accepted, refused by reason and lag")
  void healthAndMetricsDescribeTheGateway(Infrastructure infrastructure) throws Exception {
    GatewayConfig config =
        RunningGateway.config(infrastructure, directory, Map.of("mqtt.url", "", "coap.port", "-1"));
    String point = "wujiang-air-01";
    try (RunningGateway running =
            RunningGateway.start(
                infrastructure, config, List.of(TestPoints.air(point, config.cityId())));
        HealthServer health =
            new HealthServer(new InetSocketAddress("127.0.0.1", 0), running.gateway).start()) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      running
          .gateway
          .intake()
          .receive(
              null,
              point,
              Source.COAP,
              new Intake.Payload.Decoded(
                  List.of(
                      new Reading(
                          Reading.idFor(point, now),
                          point,
                          now,
                          List.of(
                              Measurement.valid(Parameter.PM25, 3),
                              Measurement.valid(Parameter.PM10, -3)),
                          Source.COAP)),
                  List.of(
                      new Refusal(RefusalReason.MALFORMED, "record 2 v", "no numeric value v"))));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> running.gateway.forwarder().forwarded() == 1);

      HttpResponse<String> healthResponse = get(health.port(), "/health");
      assertThat(healthResponse.statusCode()).isEqualTo(200);
      assertThat(healthResponse.body())
          .contains("\"status\":\"UP\"")
          .contains("\"spoolDepth\":0")
          .contains("\"hj212StationsOnline\":0");

      String metrics = get(health.port(), "/metrics").body();
      assertThat(metrics)
          .contains("envmon_gateway_received_total 2\n")
          .contains("envmon_gateway_accepted_total 1\n")
          .contains("envmon_gateway_refused_total{reason=\"impossible_value\"} 1\n")
          .contains("envmon_gateway_refused_total{reason=\"malformed\"} 1\n")
          .contains("envmon_gateway_refused_total{reason=\"unknown_point\"} 0\n")
          .contains("envmon_gateway_spool_depth 0\n")
          .contains("envmon_gateway_forward_lag 0\n")
          .contains("envmon_gateway_forwarded_total 1\n")
          .contains("envmon_gateway_spool_age_seconds 0\n")
          .contains("envmon_gateway_deadletters_total 0\n")
          .contains("envmon_gateway_hj212_stations_online 0\n")
          .contains("envmon_gateway_hj212_heartbeats_total 0\n")
          .contains("# TYPE envmon_gateway_hj212_commands_total counter\n");
    }
  }
}
