package io.envmon.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.Fuzz;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway under seeded random and mutated input on its three wire protocols (HJ 212 over
 * TCP, SenML over CoAP and over MQTT), good readings sent between the bad ones: it keeps answering,
 * never answers a server error, and every good reading it acknowledged reaches Kafka. Reproduce
 * with {@code -Denvmon.fuzz.seed=<seed>}; scale with {@code -Denvmon.fuzz.iterations=<n>}.
 */
@WithRealInfrastructure
class WireFuzzIT {

  private static final String MN = "010000A8900016F000169DC0";
  private static final String PW = "123456";
  private static final String WATER = "wujiang-water-fuzz";
  private static final String AIR = "wujiang-air-fuzz";

  @TempDir static Path directory;

  /** One gateway for the three protocols (each start costs seconds). */
  static RunningGateway running;

  @BeforeAll
  static void startGateway(Infrastructure infra) throws Exception {
    running = start(infra);
  }

  @AfterAll
  static void stopGateway() {
    if (running != null) {
      running.close();
    }
  }

  private static RunningGateway start(Infrastructure infrastructure) throws Exception {
    Path credentials = directory.resolve("devices.properties");
    Files.writeString(
        credentials,
        String.join(
            "\n",
            "device.station-1.points=" + WATER,
            "device.station-1.hj212.mn=" + MN,
            "device.station-1.hj212.pw=" + PW,
            "device.sensor-1.points=" + AIR,
            "device.sensor-1.coap.plain-from=127.0.0.1",
            ""));
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            directory.resolve("spool"),
            // the limit would throttle the test's burst of good readings: parsing is under test
            Map.of("credentials.file", credentials.toString(), "limit.rate.factor", "0"));
    return RunningGateway.start(
        infrastructure,
        config,
        List.of(TestPoints.water(WATER, config.cityId()), TestPoints.air(AIR, config.cityId())));
  }

  /**
   * Good readings are a minute apart, hours back, so no two share an id (and none is in the future,
   * which the gateway refuses); {@link #mqtt} uses its own hours.
   */
  private static Instant goodTime(int n) {
    return Instant.now()
        .truncatedTo(ChronoUnit.HOURS)
        .minus(6, ChronoUnit.HOURS)
        .plusSeconds(60L * n);
  }

  private static Reading water(Instant at) {
    return new Reading(
        Reading.idFor(WATER, at),
        WATER,
        at,
        List.of(Measurement.valid(Parameter.PH, 7.2), Measurement.valid(Parameter.DO, 6.4)),
        Source.HJ212);
  }

  private static Reading air(Instant at, Source source) {
    return new Reading(
        Reading.idFor(AIR, at), AIR, at, List.of(Measurement.valid(Parameter.PM25, 35)), source);
  }

  private static byte[] hj212(Reading reading) {
    return Hj212Codec.encode(
        Hj212ReadingMapper.toPacket(
            reading,
            DataCommand.REAL_TIME,
            MN,
            PW,
            Instant.now(),
            Hj212Codec.DEFAULT_STATION_ZONE,
            true));
  }

  private static void awaitAllForwarded(RunningGateway running, List<Reading> good) {
    for (Reading reading : good) {
      running.awaitForwarded(r -> r.reading().readingId().equals(reading.readingId()));
    }
  }

  @Test
  @DisplayName(
      "HJ 212 over TCP: random and mutated packets between good ones; every good one answered"
          + " 9014 and forwarded, the server still accepting")
  void hj212() throws Exception {
    long seed = Fuzz.seed(212_2017L);
    Random random = new Random(seed);
    int iterations = Fuzz.iterations(90);
    {
      int port = running.gateway.hj212().port();
      List<byte[]> corpus = List.of(hj212(water(goodTime(10_000))), hj212(water(goodTime(10_001))));
      List<Reading> good = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        boolean sendGood = i % 3 == 0;
        Reading reading = water(goodTime(good.size()));
        byte[] bytes =
            sendGood
                ? hj212(reading)
                : random.nextBoolean()
                    ? Fuzz.mutate(random, corpus)
                    : Fuzz.randomBytes(random, 600);
        String reply = exchange(port, bytes, sendGood ? 20_000 : 50);
        if (sendGood) {
          assertThat(reply).as("seed %d, iteration %d", seed, i).contains("CN=9014");
          good.add(reading);
        }
      }
      awaitAllForwarded(running, good);
      assertThat(good).hasSizeGreaterThanOrEqualTo(iterations / 3);
    }
  }

  /** One connection: the bytes, then whatever the gateway answers within the timeout. */
  private static String exchange(int port, byte[] bytes, int timeoutMillis) throws IOException {
    try (Socket station = new Socket("127.0.0.1", port)) {
      station.setSoTimeout(timeoutMillis);
      station.getOutputStream().write(bytes);
      station.getOutputStream().flush();
      StringBuilder reply = new StringBuilder();
      InputStream in = station.getInputStream();
      try {
        int b;
        while ((b = in.read()) >= 0) {
          reply.append((char) b);
          if (reply.toString().endsWith("\r\n")) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException noAnswer) {
        // a bad packet need not be answered, and the gateway may close the connection
      }
      return reply.toString();
    }
  }

  @Test
  @DisplayName(
      "SenML over plain CoAP: random and mutated JSON and CBOR between good packs; never a 5.xx,"
          + " every 2.04 pack forwarded")
  void coap() throws Exception {
    long seed = Fuzz.seed(8428L);
    Random random = new Random(seed);
    int iterations = Fuzz.iterations(90);
    {
      CoapClient client =
          new CoapClient(
              "coap://127.0.0.1:"
                  + running.gateway.coap().port()
                  + "/v1/points/"
                  + AIR
                  + "/readings");
      client.setTimeout(10_000L);
      List<byte[]> corpus =
          List.of(
              SenmlReadingEncoder.toJson(air(goodTime(10_000), Source.COAP)),
              SenmlReadingEncoder.toCbor(air(goodTime(10_001), Source.COAP)));
      List<Reading> good = new ArrayList<>();
      try {
        for (int i = 0; i < iterations; i++) {
          boolean sendGood = i % 3 == 0;
          Reading reading = air(goodTime(good.size()), Source.COAP);
          boolean cbor = random.nextBoolean();
          byte[] payload =
              sendGood
                  ? (cbor
                      ? SenmlReadingEncoder.toCbor(reading)
                      : SenmlReadingEncoder.toJson(reading))
                  : random.nextBoolean()
                      ? Fuzz.mutate(random, corpus)
                      : Fuzz.randomBytes(random, 400);
          CoapResponse response =
              post(
                  client,
                  payload,
                  cbor
                      ? MediaTypeRegistry.APPLICATION_SENML_CBOR
                      : MediaTypeRegistry.APPLICATION_SENML_JSON);
          assertThat(response).as("seed %d, iteration %d: no answer", seed, i).isNotNull();
          assertThat(response.getCode().codeClass)
              .as("seed %d, iteration %d: %s", seed, i, response.getCode())
              .isLessThan(5);
          if (sendGood) {
            assertThat(response.getCode().text)
                .as("seed %d, iteration %d", seed, i)
                .isEqualTo("2.04");
            good.add(reading);
          }
        }
      } finally {
        client.shutdown();
      }
      awaitAllForwarded(running, good);
    }
  }

  private static CoapResponse post(CoapClient client, byte[] payload, int format)
      throws IOException {
    try {
      return client.post(payload, format);
    } catch (ConnectorException e) {
      throw new IOException(e);
    }
  }

  @Test
  @DisplayName(
      "SenML over MQTT: random and mutated payloads between good packs; every good pack forwarded,"
          + " the gateway still subscribed")
  void mqtt() throws Exception {
    long seed = Fuzz.seed(5L);
    Random random = new Random(seed);
    int iterations = Fuzz.iterations(90);
    MqttClient station =
        new MqttClient(running.infrastructure().mqttUrl(), "fuzz-" + seed, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    station.connect(options);
    String topic = "envmon/v1/" + running.cityId + "/" + AIR + "/up";
    List<byte[]> corpus =
        List.of(
            SenmlReadingEncoder.toJson(air(goodTime(10_000), Source.MQTT)),
            "[{\"bn\":\"x:\",\"n\":\"pm25\",\"v\":1}]".getBytes(UTF_8));
    List<Reading> good = new ArrayList<>();
    try {
      for (int i = 0; i < iterations; i++) {
        boolean sendGood = i % 3 == 0;
        // three hours before the CoAP test's minutes: the same gateway and point
        Reading reading = air(goodTime(good.size()).minus(3, ChronoUnit.HOURS), Source.MQTT);
        byte[] payload =
            sendGood
                ? SenmlReadingEncoder.toJson(reading)
                : random.nextBoolean()
                    ? Fuzz.mutate(random, corpus)
                    : Fuzz.randomBytes(random, 400);
        // bad payloads at QoS 0: a broker's in-flight window (Receive Maximum) is not the test
        station.publish(topic, payload, sendGood ? 1 : 0, false);
        if (sendGood) {
          good.add(reading);
        }
      }
      awaitAllForwarded(running, good);
    } finally {
      station.disconnect();
      station.close();
    }
  }
}
