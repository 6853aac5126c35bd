package io.envmon.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.AlertProducer;
import io.envmon.api.ApiTestServer;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The SSE stream on the wire (read as raw lines with the JDK client): heartbeat comments and
 * acknowledgements as events (ApiTestServer: heartbeat every second).
 */
@WithRealInfrastructure
class AlertStreamIT {

  static ApiTestServer api;
  static AlertProducer producer;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    producer = new AlertProducer(api);
  }

  @AfterAll
  static void stop() {
    producer.close();
  }

  @Test
  @DisplayName(
      "an idle stream gets ': heartbeat' comments; an acknowledgement arrives as an"
          + " 'acknowledged' event naming who acknowledged, after the 'raised' one")
  void heartbeatAndAcknowledgementOnTheWire() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpClient client = HttpClient.newHttpClient();
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                URI.create(api.server.getURL() + "/api/v1/alerts/stream"))
            .header("Authorization", "Bearer " + api.tokenOf("wujiang-viewer"))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                // closed at the end of the test
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains(": heartbeat"));

      // the stream starts with the next change: produce until one made after connecting arrives
      List<Alert> produced = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                Alert probe =
                    AlertProducer.alert(
                        AlertType.AIR_QUALITY, "wujiang-air-01", "wujiang", PointKind.AIR);
                produced.add(probe);
                producer.produce(probe);
                return produced.stream().anyMatch(a -> streamed(lines, a.alertId()));
              });
      Alert raised =
          produced.stream().filter(a -> streamed(lines, a.alertId())).findFirst().orElseThrow();

      api.http()
          .exchange(
              HttpRequest.POST("/api/v1/alerts/" + raised.alertId() + "/ack", Map.of())
                  .bearerAuth(api.tokenOf("wujiang-emergency")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> eventOf(lines, raised.alertId(), "acknowledged") != null);
      String acknowledged = eventOf(lines, raised.alertId(), "acknowledged");
      assertThat(acknowledged).contains("\"acknowledgedBy\":\"wujiang-emergency\"");
      assertThat(eventOf(lines, raised.alertId(), "raised")).doesNotContain("acknowledgedBy");
      assertThat(idOf(lines, acknowledged))
          .isGreaterThan(idOf(lines, eventOf(lines, raised.alertId(), "raised")));
    } finally {
      response.body().close();
    }
  }

  private static boolean streamed(List<String> lines, String alertId) {
    return lines.stream().anyMatch(l -> l.startsWith("data:") && l.contains(alertId));
  }

  /** The data line of the event of this name about this alert, or null. */
  private static String eventOf(List<String> lines, String alertId, String name) {
    List<String> copy = List.copyOf(lines);
    for (int i = 0; i < copy.size(); i++) {
      String line = copy.get(i);
      if (line.startsWith("data:") && line.contains(alertId)) {
        for (int j = i - 1; j >= 0 && !copy.get(j).isEmpty(); j--) {
          if (copy.get(j).replace(" ", "").equals("event:" + name)) {
            return line;
          }
        }
      }
    }
    return null;
  }

  private static long idOf(List<String> lines, String dataLine) {
    List<String> copy = List.copyOf(lines);
    for (int j = copy.indexOf(dataLine) - 1; j >= 0 && !copy.get(j).isEmpty(); j--) {
      if (copy.get(j).startsWith("id:")) {
        return Long.parseLong(copy.get(j).substring(3).trim());
      }
    }
    throw new AssertionError("no id for " + dataLine);
  }
}
