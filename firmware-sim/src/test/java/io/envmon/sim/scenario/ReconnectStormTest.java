package io.envmon.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconnectStormTest {

  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void aStormFallsInExactlyOneIntervalBetweenDueInstants() throws Exception {
    String json =
        """
        {"name":"storm","seed":7,"stations":[
          {"point":"a-air-01","city":"a","kind":"AIR","protocol":"MQTT","interval":"PT1M"}],
         "faults":[{"type":"reconnect-storm","point":"*","from":"PT10M"}]}
        """;
    Scenario scenario = ScenarioFile.parse(new ObjectMapper().readTree(json), START, null);
    assertThat(scenario.faults())
        .containsExactly(new Fault.ReconnectStorm("*", Duration.ofMinutes(10), null));
    int storms = 0;
    Instant last = START.minusMillis(1);
    for (int minute = 0; minute < 30; minute++) {
      Instant at = START.plus(Duration.ofMinutes(minute));
      if (scenario.reconnectStormBetween(last, at)) {
        storms++;
        assertThat(at).isEqualTo(START.plus(Duration.ofMinutes(10)));
      }
      last = at;
    }
    assertThat(storms).isEqualTo(1);
    assertThat(scenario.reconnectStormBetween(START, START.plus(Duration.ofMinutes(9)))).isFalse();
  }
}
