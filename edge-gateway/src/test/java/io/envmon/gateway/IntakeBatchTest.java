package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.forward.DeadLetters;
import io.envmon.gateway.limits.DeviceRateLimiter;
import io.envmon.gateway.registry.PointRegistry;
import io.envmon.gateway.spool.FsyncPolicy;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.validation.RefusalCounter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol-neutral intake: the result of each kind of message, and several messages validated
 * and spooled with one append (the MQTT workers' batches).
 */
class IntakeBatchTest {

  private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path directory;

  private static Reading reading(String pointId, int minutesAgo) {
    Instant at = NOW.minusSeconds(60L * minutesAgo);
    return new Reading(
        Reading.idFor(pointId, at),
        pointId,
        at,
        List.of(Measurement.valid(Parameter.PM25, 35)),
        Source.MQTT);
  }

  private final MockProducer<String, byte[]> deadLetterProducer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

  private Intake intake(Spool spool) {
    PointRegistry registry = new PointRegistry();
    registry.put(TestPoints.air("wujiang-air-01", "wujiang"));
    registry.put(TestPoints.air("wujiang-air-02", "wujiang"));
    DeadLetters deadLetters =
        new DeadLetters(deadLetterProducer, "envmon.deadletter.v1", "gw-1", "wujiang", CLOCK);
    return new Intake(
        "gw-1",
        new ReadingValidator("wujiang", registry, CLOCK),
        spool,
        new RefusalCounter(),
        deadLetters,
        CLOCK);
  }

  @Test
  void eachMessageGetsItsOwnReadingsAndRefusalsFromOneAppend() {
    try (Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND))) {
      Intake intake = intake(spool);
      List<Intake.Outcome> outcomes =
          intake
              .acceptAllAsync(
                  List.of(
                      new Intake.Message(
                          "wujiang-air-01", List.of(reading("wujiang-air-01", 1)), List.of()),
                      new Intake.Message(
                          "wujiang-air-99", List.of(reading("wujiang-air-99", 1)), List.of()),
                      new Intake.Message(
                          "wujiang-air-02",
                          List.of(reading("wujiang-air-02", 2), reading("wujiang-air-02", 1)),
                          List.of())))
              .join();

      assertThat(outcomes).hasSize(3).noneMatch(Intake.Outcome::spoolFull);
      assertThat(outcomes.get(0).spooled())
          .extracting(AcceptedReading::gatewaySequence)
          .containsExactly(1L);
      assertThat(outcomes.get(1).spooled()).isEmpty();
      assertThat(outcomes.get(1).refusals())
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo(RefusalReason.UNKNOWN_POINT));
      assertThat(outcomes.get(2).spooled())
          .extracting(a -> a.reading().pointId(), AcceptedReading::gatewaySequence)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("wujiang-air-02", 2L),
              org.assertj.core.groups.Tuple.tuple("wujiang-air-02", 3L));
      assertThat(intake.accepted()).isEqualTo(3);
      assertThat(spool.groupSyncs()).isEqualTo(1); // one append, one fsync
    }
  }

  @Test
  void aReadingOlderThanTheLatenessHorizonIsRefusedTooOldAndCountedTheOthersAreSpooled() {
    try (Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND))) {
      Intake intake = intake(spool);
      int eightDays = 8 * 24 * 60;
      Intake.Outcome outcome =
          intake
              .acceptAllAsync(
                  List.of(
                      new Intake.Message(
                          "wujiang-air-01",
                          List.of(
                              reading("wujiang-air-01", eightDays), reading("wujiang-air-01", 1)),
                          List.of())))
              .join()
              .get(0);
      assertThat(outcome.spooled())
          .extracting(a -> a.reading().observedAt())
          .containsExactly(NOW.minusSeconds(60));
      assertThat(outcome.refusals())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.reason()).isEqualTo(RefusalReason.TOO_OLD);
                assertThat(r.detail()).contains("is more than 7 days before the gateway clock");
              });
      assertThat(intake.refusals().count(RefusalReason.TOO_OLD)).isEqualTo(1);
    }
  }

  @Test
  void whenTheBatchDoesNotFitEveryMessageIsHeldWithItsOwnPendingReadings() {
    try (Spool spool =
        Spool.open(new Spool.Options(directory, 400, 400, FsyncPolicy.EVERY_APPEND))) {
      Intake intake = intake(spool);
      List<Intake.Outcome> outcomes =
          intake
              .acceptAllAsync(
                  List.of(
                      new Intake.Message(
                          "wujiang-air-01", List.of(reading("wujiang-air-01", 1)), List.of()),
                      new Intake.Message(
                          "wujiang-air-02", List.of(reading("wujiang-air-02", 1)), List.of())))
              .join();
      assertThat(outcomes).hasSize(2).allMatch(Intake.Outcome::spoolFull);
      assertThat(outcomes.get(0).pending())
          .extracting(a -> a.reading().pointId())
          .containsExactly("wujiang-air-01");
      assertThat(outcomes.get(1).pending())
          .extracting(a -> a.reading().pointId())
          .containsExactly("wujiang-air-02");
      assertThat(spool.depth()).isZero();
      // One message alone fits: it is retried on its own.
      assertThat(intake.retryAsync(outcomes.get(0)).join().spoolFull()).isFalse();
    }
  }

  @Test
  void aFloodingDevicesReadingsAreThrottledInABatchWhileAnotherDevicesAreSpooled() {
    try (Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND))) {
      PointRegistry registry = new PointRegistry();
      registry.put(TestPoints.air("wujiang-air-01", "wujiang"));
      registry.put(TestPoints.air("wujiang-air-02", "wujiang"));
      Intake intake =
          new Intake(
              "gw-1",
              new ReadingValidator("wujiang", registry, CLOCK),
              spool,
              new RefusalCounter(),
              new DeadLetters(
                  new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()),
                  "envmon.deadletter.v1",
                  "gw-1",
                  "wujiang",
                  CLOCK),
              new DeviceRateLimiter(
                  new DeviceRateLimiter.Settings(
                      10, 2, java.time.Duration.ofMinutes(1), java.time.Duration.ofDays(7)),
                  CLOCK),
              CLOCK);
      DeviceCredentials.Device flooder =
          new DeviceCredentials.Device(
              "flooder", List.of("wujiang-air-01"), null, null, null, "pw");
      DeviceCredentials.Device calm =
          new DeviceCredentials.Device("calm", List.of("wujiang-air-02"), null, null, null, "pw");

      List<Intake.Outcome> outcomes =
          intake
              .acceptAllAsync(
                  List.of(
                      new Intake.Message(
                          "wujiang-air-01",
                          List.of(
                              reading("wujiang-air-01", 0),
                              reading("wujiang-air-01", 0),
                              reading("wujiang-air-01", 0)),
                          List.of(),
                          flooder),
                      new Intake.Message(
                          "wujiang-air-02",
                          List.of(reading("wujiang-air-02", 0)),
                          List.of(),
                          calm)))
              .join();

      assertThat(outcomes.get(0).spooled()).hasSize(2);
      assertThat(outcomes.get(0).throttled()).isTrue();
      assertThat(outcomes.get(0).refusals())
          .singleElement()
          .satisfies(r -> assertThat(r.reason()).isEqualTo(RefusalReason.THROTTLED));
      assertThat(outcomes.get(1).spooled()).hasSize(1);
      assertThat(outcomes.get(1).throttled()).isFalse();
    }
  }

  @Test
  void eachMessageOfABatchGetsItsResultPointRefusedUndecodableOrValidated() {
    try (Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND))) {
      Intake intake = intake(spool);
      byte[] garbage = "not senml".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Intake.Payload undecodable =
          Intake.Payload.decode(
              garbage,
              bytes -> {
                throw new io.envmon.domain.DecodeException("not a SenML pack", "$");
              });
      Intake.Payload good =
          new Intake.Payload.Decoded(List.of(reading("wujiang-air-01", 1)), List.of());

      List<Intake.Result> results =
          intake
              .receiveAllAsync(
                  List.of(
                      new Intake.Delivery(null, "wujiang-air-01", Source.MQTT, good),
                      // the point is checked first: an unknown point's garbage is not dead-lettered
                      new Intake.Delivery(null, "wujiang-air-99", Source.MQTT, undecodable),
                      new Intake.Delivery(null, "wujiang-air-02", Source.MQTT, undecodable)))
              .join();

      assertThat(results.get(0))
          .isInstanceOfSatisfying(
              Intake.Result.Validated.class,
              validated -> assertThat(validated.outcome().spooled()).hasSize(1));
      assertThat(results.get(1))
          .isInstanceOfSatisfying(
              Intake.Result.PointRefused.class,
              refused ->
                  assertThat(refused.refusal().reason()).isEqualTo(RefusalReason.UNKNOWN_POINT));
      assertThat(results.get(2))
          .isInstanceOfSatisfying(
              Intake.Result.Undecodable.class,
              refused -> {
                assertThat(refused.refusal().reason()).isEqualTo(RefusalReason.MALFORMED);
                assertThat(refused.refusal().detail()).isEqualTo("not a SenML pack");
              });
      assertThat(deadLetterProducer.history())
          .singleElement()
          .satisfies(letter -> assertThat(letter.key()).isEqualTo("wujiang-air-02"));
      assertThat(intake.received()).isEqualTo(3);
      assertThat(intake.accepted()).isEqualTo(1);
      assertThat(spool.groupSyncs()).isEqualTo(1);
    }
  }

  @Test
  void aFailedSpoolIsNotSpooledAndTheRefusedMessagesOfTheBatchKeepTheirResults() {
    Spool spool =
        Spool.open(new Spool.Options(directory, 1 << 20, 1 << 16, FsyncPolicy.EVERY_APPEND));
    Intake intake = intake(spool);
    spool.close();

    List<Intake.Result> results =
        intake
            .receiveAllAsync(
                List.of(
                    new Intake.Delivery(
                        null,
                        "wujiang-air-01",
                        Source.MQTT,
                        new Intake.Payload.Decoded(
                            List.of(reading("wujiang-air-01", 1)), List.of())),
                    new Intake.Delivery(
                        null,
                        "wujiang-air-99",
                        Source.MQTT,
                        new Intake.Payload.Decoded(List.of(), List.of()))))
            .join();

    assertThat(results.get(0))
        .isInstanceOfSatisfying(
            Intake.Result.NotSpooled.class,
            failed ->
                assertThat(failed.failure())
                    .isInstanceOf(io.envmon.gateway.spool.SpoolException.class));
    assertThat(results.get(1)).isInstanceOf(Intake.Result.PointRefused.class);
  }
}
