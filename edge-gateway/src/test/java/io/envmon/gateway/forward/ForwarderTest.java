package io.envmon.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.gateway.spool.FsyncPolicy;
import io.envmon.gateway.spool.Spool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder's bookkeeping against a scripted producer (the end-to-end path runs against the
 * real Kafka in the *IT tests): the spool is marked acknowledged only for what Kafka acknowledged,
 * and a failed batch is sent again.
 */
class ForwarderTest {

  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

  @TempDir Path directory;

  private static AcceptedReading reading(int i) {
    Instant at = T0.plusSeconds(i);
    return new AcceptedReading(
        new Reading(
            Reading.idFor("p-01", at),
            "p-01",
            at,
            List.of(Measurement.valid(Parameter.PM25, i)),
            Source.MQTT),
        "c",
        PointKind.AIR,
        "gw",
        0,
        at);
  }

  @Test
  void aBatchKafkaFailedIsKeptInTheSpoolAndSentAgainUntilAcknowledged() throws Exception {
    Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND));
    MockProducer<String, byte[]> kafka =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    spool.append(IntStream.range(0, 3).mapToObj(ForwarderTest::reading).toList());
    try (Forwarder forwarder = new Forwarder(spool, kafka, "envmon.readings.v1")) {
      forwarder.start();

      // Kafka is down: the first send of the batch fails.
      await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() >= 3);
      kafka.errorNext(new TimeoutException("Kafka is down"));
      await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.failedAttempts() == 1);
      assertThat(spool.acknowledgedSequence()).isZero();
      assertThat(spool.depth()).isEqualTo(3);

      // Kafka is back: the same three readings are sent again and acknowledged.
      await().atMost(Duration.ofSeconds(10)).until(() -> kafka.history().size() >= 6);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                while (kafka.completeNext()) {}
                // forwarded() is counted just after the spool acknowledgement: wait for both
                return spool.acknowledgedSequence() == 3 && forwarder.forwarded() == 3;
              });
      assertThat(spool.depth()).isZero();
      var resent = kafka.history().subList(kafka.history().size() - 3, kafka.history().size());
      assertThat(resent).allSatisfy(r -> assertThat(r.key()).isEqualTo("p-01"));
      assertThat(AcceptedReadingJson.decode(resent.get(0).value()).gatewaySequence()).isEqualTo(1);
    } finally {
      spool.close();
    }
  }
}
