package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An API started after the readings were produced (a restart, or a second replica) builds its
 * latest view from the topic's last hours, becomes ready once caught up, and answers as the API
 * that saw them arrive.
 */
@WithRealInfrastructure
class LatestViewRestartIT {

  @Test
  @DisplayName("a server started later reads the topic's last hours and answers alike")
  void aLaterServerCatchesUpFromTheTopic(Infrastructure infrastructure) throws Exception {
    ApiTestServer first = ApiTestServer.start(infrastructure);
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    try (InfluxWriter writer = new InfluxWriter(first)) {
      for (int minute = 5; minute < 180; minute += 10) {
        Instant at = hour.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(minute));
        if (at.isAfter(Instant.now())) {
          break;
        }
        writer.reading(
            "jiashan",
            "jiashan-air-01",
            "AIR",
            at,
            Map.of("pm25", 60.0 + minute, "pm10", 90.0),
            Map.of());
        writer.reading(
            "jiashan",
            "jiashan-noise-01",
            "NOISE",
            at,
            Map.of("leq", 50.0 + minute / 10.0),
            Map.of());
      }
    }
    answerOnceView(first);

    ApiTestServer second =
        ApiTestServer.startPrivate(
            infrastructure,
            Map.of(
                "envmon.latest.topic", first.readingsTopic,
                "envmon.influx.database", first.influxDatabase));
    try {
      String secondAnswer = answerOnceView(second);
      // Asked again in case an hour turned between the two answers.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> answerOnceView(second).equals(answerOnceView(first)));
      assertThat(secondAnswer).contains("\"pointId\":\"jiashan-air-01\",");
      assertThat(secondAnswer).contains("\"hourStart\":");
      assertThat(secondAnswer).contains("\"leqDbA\":");
    } finally {
      second.server.stop();
    }
  }

  /** Jiashan's latest as its viewer gets it, once it comes from the latest view. */
  private static String answerOnceView(ApiTestServer api) {
    String token = api.tokenOf("jiashan-viewer");
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> response =
                  api.http()
                      .exchange(
                          HttpRequest.GET("/api/v1/readings/latest?city=jiashan").bearerAuth(token),
                          String.class);
              return "view".equals(response.header(ReadingsController.LATEST_SOURCE))
                  ? response.body()
                  : null;
            },
            body -> body != null && body.contains("\"hourStart\":"));
  }
}
