package io.envmon.sim.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.senml.SenmlJson;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.senml.SenmlResolver;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.station.Station;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

/**
 * The simulator's MQTT firmware against the real Mosquitto: what it publishes is SenML a gateway
 * reads.
 */
@WithRealInfrastructure
class MqttTransportIT {

  @Test
  void simulatedStationsPublishSenmlPacksThatDecodeBackToTheirReadings(Infrastructure infra)
      throws Exception {
    String city = "it" + UUID.randomUUID().toString().substring(0, 8);
    Station station =
        new AirStation(
            city + "-air-01", city, ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(1), 3);
    Map<String, Reading> received = new ConcurrentHashMap<>();
    MqttClient gateway = new MqttClient(infra.mqttUrl(), "gw-" + city, new MemoryPersistence());
    gateway.connect(new MqttConnectionOptions());
    // MqttClient.subscribe(String, int, listener) recurses forever in Paho 1.2.5: use the array
    // form.
    gateway.subscribe(
        new MqttSubscription[] {new MqttSubscription("envmon/v1/" + city + "/+/up", 1)},
        new IMqttMessageListener[] {
          (topic, message) -> {
            SenmlDecodeResult result =
                SenmlReadingDecoder.toReadings(
                    SenmlResolver.resolve(
                        SenmlJson.decode(message.getPayload()), Clock.systemUTC()),
                    station.pointId(),
                    Source.MQTT);
            result.readings().forEach(r -> received.put(r.readingId(), r));
          }
        });

    Progress progress;
    try (MqttTransport transport =
        new MqttTransport(infra.mqttUrl(), "sim-" + city, null, null, 100, (t, p) -> {})) {
      Simulation simulation =
          new Simulation(
              List.of(station),
              transport,
              Instant.parse("2025-11-21T00:00:00Z"),
              Duration.ofMinutes(200),
              Simulation.AS_FAST_AS_POSSIBLE,
              Clock.systemUTC());
      progress = simulation.run(Duration.ofSeconds(20), p -> {});
    }

    assertThat(progress.acknowledged()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 200);
    Reading first =
        received.get(Reading.idFor(station.pointId(), Instant.parse("2025-11-21T00:00:00Z")));
    assertThat(first.measurements()).isEqualTo(station.measure(first.observedAt()));
    gateway.disconnect();
    gateway.close();
  }

  @Test
  void aReconnectStormLosesNoAcknowledgedReading(Infrastructure infra) throws Exception {
    String city = "it" + UUID.randomUUID().toString().substring(0, 8);
    Station station =
        new AirStation(
            city + "-air-01", city, ZoneId.of("Asia/Shanghai"), Duration.ofMinutes(1), 3);
    Set<String> received = ConcurrentHashMap.newKeySet();
    MqttClient gateway = new MqttClient(infra.mqttUrl(), "gw-" + city, new MemoryPersistence());
    gateway.connect(new MqttConnectionOptions());
    gateway.subscribe(
        new MqttSubscription[] {new MqttSubscription("envmon/v1/" + city + "/+/up", 1)},
        new IMqttMessageListener[] {
          (topic, message) ->
              SenmlReadingDecoder.toReadings(
                      SenmlResolver.resolve(
                          SenmlJson.decode(message.getPayload()), Clock.systemUTC()),
                      station.pointId(),
                      Source.MQTT)
                  .readings()
                  .forEach(r -> received.add(r.readingId()))
        });
    List<java.util.concurrent.CompletableFuture<Void>> sent = new java.util.ArrayList<>();
    Instant t0 = Instant.parse("2025-11-21T00:00:00Z");
    try (MqttTransport transport =
        new MqttTransport(infra.mqttUrl(), "sim-" + city, null, null, 100, (t, p) -> {})) {
      for (int i = 0; i < 200; i++) {
        if (i == 100) {
          transport.reconnectAll(); // while the first hundred may still be in flight
        }
        Instant at = t0.plus(Duration.ofMinutes(i));
        sent.add(
            transport.send(
                station,
                new Reading(
                    Reading.idFor(station.pointId(), at),
                    station.pointId(),
                    at,
                    station.measure(at),
                    Source.MQTT)));
      }
      java.util.concurrent.CompletableFuture.allOf(
              sent.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 200);
    gateway.disconnect();
    gateway.close();
  }
}
