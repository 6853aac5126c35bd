package io.envmon.gateway;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.RecordError;
import io.envmon.domain.senml.SenmlDecodeResult;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.domain.validation.Verdict;
import io.envmon.gateway.forward.DeadLetters;
import io.envmon.gateway.limits.DeviceRateLimiter;
import io.envmon.gateway.spool.AppendResult;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.spool.SpoolException;
import io.envmon.gateway.validation.RefusalCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one way a reading enters envmon, whatever the protocol. An adapter identifies the device,
 * decodes the payload with its protocol's format ({@link Payload}), hands both to {@link
 * #receiveAsync} and maps the {@link Result} to its protocol's answer; here the point is checked,
 * the readings validated, what is acceptable appended to the spool, the rest counted and reported.
 */
public final class Intake {

  /** What became of the readings of one message. */
  public record Outcome(
      List<AcceptedReading> spooled,
      List<Refusal> refusals,
      boolean spoolFull,
      List<AcceptedReading> pending) {
    public Outcome {
      spooled = List.copyOf(spooled);
      refusals = List.copyOf(refusals);
      pending = List.copyOf(pending);
    }

    /** Whether the device's rate limit refused a reading of the message. */
    public boolean throttled() {
      return refusals.stream().anyMatch(r -> r.reason() == RefusalReason.THROTTLED);
    }
  }

  /**
   * A message's payload as its protocol's format decoded it: the readings and the records left out,
   * or why nothing could be read at all (and the bytes, for the dead-letter topic).
   */
  public sealed interface Payload {
    record Decoded(List<Reading> readings, List<Refusal> decodeRefusals) implements Payload {
      public Decoded {
        readings = List.copyOf(readings);
        decodeRefusals = List.copyOf(decodeRefusals);
      }
    }

    record Undecodable(Refusal refusal, byte[] bytes) implements Payload {}

    /** A protocol's decoder of one payload. */
    @FunctionalInterface
    interface Decoder {
      Decoded decode(byte[] bytes) throws DecodeException;
    }

    /** {@code bytes} decoded, or Undecodable (MALFORMED where the decoder stopped). */
    static Payload decode(byte[] bytes, Decoder decoder) {
      try {
        return decoder.decode(bytes);
      } catch (DecodeException e) {
        return new Undecodable(Refusal.malformed(e), bytes);
      }
    }

    /** A SenML pack's readings, its bad records as MALFORMED refusals. */
    static Decoded senml(SenmlDecodeResult decoded) {
      return new Decoded(
          decoded.readings(), decoded.errors().stream().map(RecordError::refusal).toList());
    }
  }

  /**
   * One device message as its adapter read it: the sender ({@code device}, null when not known: no
   * rate limit), the point its address names, its protocol and its payload.
   */
  public record Delivery(
      DeviceCredentials.Device device, String pointId, Source source, Payload payload) {}

  /** What became of one message: each protocol maps it to its own answer. */
  public sealed interface Result {
    /** Validated: {@code outcome} says what was spooled and refused, or that the spool was full. */
    record Validated(Outcome outcome) implements Result {}

    /** The point may not take readings here (unknown, another city's, decommissioned). */
    record PointRefused(Refusal refusal) implements Result {}

    /** Nothing could be decoded; counted and sent to the dead-letter topic. */
    record Undecodable(Refusal refusal) implements Result {}

    /** The disk failed: nothing is durable, do not acknowledge. */
    record NotSpooled(Throwable failure) implements Result {}
  }

  private final String gatewayId;
  private final ReadingValidator validator;
  private final Spool spool;
  private final RefusalCounter refusalCounter;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final DeviceRateLimiter limiter;
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder spoolFullAnswers = new LongAdder();

  public Intake(
      String gatewayId,
      ReadingValidator validator,
      Spool spool,
      RefusalCounter refusalCounter,
      DeadLetters deadLetters,
      Clock clock) {
    this(gatewayId, validator, spool, refusalCounter, deadLetters, DeviceRateLimiter.off(), clock);
  }

  public Intake(
      String gatewayId,
      ReadingValidator validator,
      Spool spool,
      RefusalCounter refusalCounter,
      DeadLetters deadLetters,
      DeviceRateLimiter limiter,
      Clock clock) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.refusalCounter = Objects.requireNonNull(refusalCounter, "refusalCounter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
  }

  public ReadingValidator validator() {
    return validator;
  }

  /** The per-device rate limit applied to the readings of identified devices. */
  public DeviceRateLimiter limiter() {
    return limiter;
  }

  /**
   * Takes one device message: the point check, then the payload's readings validated and spooled.
   * The future completes once the accepted readings are durable (on the spool's fsync thread: keep
   * what is chained on it short), at once for a message with nothing to spool; never exceptionally
   * (a failed disk is {@link Result.NotSpooled}).
   */
  public CompletableFuture<Result> receiveAsync(
      DeviceCredentials.Device device, String pointId, Source source, Payload payload) {
    return receiveAllAsync(List.of(new Delivery(device, pointId, source, payload)))
        .thenApply(results -> results.get(0));
  }

  /** As {@link #receiveAsync}, waiting on this thread. */
  public Result receive(
      DeviceCredentials.Device device, String pointId, Source source, Payload payload) {
    return receiveAsync(device, pointId, source, payload).join();
  }

  /**
   * As {@link #receiveAsync} for several messages at once, with ONE spool append for all their
   * accepted readings (see {@link #acceptAllAsync}); the results are in the messages' order.
   */
  public CompletableFuture<List<Result>> receiveAllAsync(List<Delivery> deliveries) {
    Result[] results = new Result[deliveries.size()];
    List<Message> toValidate = new ArrayList<>(deliveries.size());
    List<Integer> validatedAt = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery delivery = deliveries.get(i);
      if (validator.checkPoint(delivery.pointId()) instanceof Verdict.Refused refused) {
        Refusal refusal = refused.refusals().get(0);
        refuse(delivery.pointId(), refusal);
        results[i] = new Result.PointRefused(refusal);
      } else if (delivery.payload() instanceof Payload.Undecodable undecodable) {
        undecodable(
            delivery.source(), delivery.pointId(), undecodable.refusal(), undecodable.bytes());
        results[i] = new Result.Undecodable(undecodable.refusal());
      } else {
        Payload.Decoded decoded = (Payload.Decoded) delivery.payload();
        toValidate.add(
            new Message(
                delivery.pointId(),
                decoded.readings(),
                decoded.decodeRefusals(),
                delivery.device()));
        validatedAt.add(i);
      }
    }
    if (toValidate.isEmpty()) {
      return CompletableFuture.completedFuture(List.of(results));
    }
    CompletableFuture<List<Outcome>> outcomes;
    try {
      outcomes = acceptAllAsync(toValidate);
    } catch (RuntimeException e) {
      outcomes = CompletableFuture.failedFuture(e);
    }
    return outcomes.handle(
        (all, failure) -> {
          for (int j = 0; j < validatedAt.size(); j++) {
            results[validatedAt.get(j)] =
                failure == null
                    ? new Result.Validated(all.get(j))
                    : new Result.NotSpooled(
                        failure instanceof CompletionException wrapped && wrapped.getCause() != null
                            ? wrapped.getCause()
                            : failure);
          }
          return List.of(results);
        });
  }

  /**
   * The decoded readings of one device message, for {@link #acceptAllAsync}. {@code device} is the
   * sender whose rate limit applies; null when it is not known (an anonymous broker): no limit.
   */
  record Message(
      String pointId,
      List<Reading> readings,
      List<Refusal> decodeRefusals,
      DeviceCredentials.Device device) {
    public Message(String pointId, List<Reading> readings, List<Refusal> decodeRefusals) {
      this(pointId, readings, decodeRefusals, null);
    }
  }

  /**
   * Validates the readings of several messages, whose points are checked, and spools the accepted
   * ones with ONE append (in message order), without blocking: the outcomes, one per message in the
   * same order, are all durable together, or all {@link Outcome#spoolFull()} when the batch does
   * not fit (each can then be retried on its own with {@link #retryAsync}).
   */
  CompletableFuture<List<Outcome>> acceptAllAsync(List<Message> messages) {
    List<List<Refusal>> refusalsOf = new ArrayList<>(messages.size());
    List<List<AcceptedReading>> toSpoolOf = new ArrayList<>(messages.size());
    List<AcceptedReading> toSpool = new ArrayList<>();
    for (Message message : messages) {
      received.add(message.readings().size() + message.decodeRefusals().size());
      List<Refusal> refusals = new ArrayList<>(message.decodeRefusals());
      List<AcceptedReading> accepted = new ArrayList<>();
      for (Reading reading : message.readings()) {
        Verdict verdict = validator.validate(reading);
        if (verdict instanceof Verdict.Accepted ok) {
          refusals.addAll(ok.refusals());
          Optional<Refusal> throttled = limiter.admit(message.device(), ok.reading().observedAt());
          if (throttled.isPresent()) {
            refusals.add(throttled.get());
            continue;
          }
          accepted.add(
              new AcceptedReading(
                  ok.reading(),
                  ok.point().cityId(),
                  ok.point().kind(),
                  gatewayId,
                  0,
                  clock.instant()));
        } else if (verdict instanceof Verdict.Refused refused) {
          refusals.addAll(refused.refusals());
        }
      }
      refusals.forEach(refusal -> refusalCounter.count(message.pointId(), refusal));
      refusalsOf.add(refusals);
      toSpoolOf.add(accepted);
      toSpool.addAll(accepted);
    }
    return spool
        .appendAsync(toSpool)
        .thenApply(
            result -> {
              List<Outcome> outcomes = new ArrayList<>(messages.size());
              if (result instanceof AppendResult.Appended appended) {
                accepted.add(appended.readings().size());
                int from = 0;
                for (int i = 0; i < messages.size(); i++) {
                  int to = from + toSpoolOf.get(i).size();
                  outcomes.add(
                      new Outcome(
                          appended.readings().subList(from, to),
                          refusalsOf.get(i),
                          false,
                          List.of()));
                  from = to;
                }
              } else {
                for (int i = 0; i < messages.size(); i++) {
                  spoolFullAnswers.increment();
                  outcomes.add(new Outcome(List.of(), refusalsOf.get(i), true, toSpoolOf.get(i)));
                }
              }
              return outcomes;
            });
  }

  /**
   * Appends again what a full spool refused ({@link Outcome#pending()}), already validated; for
   * protocols that hold the device's message until it is spooled (MQTT).
   */
  public Outcome retry(Outcome full) {
    return join(retryAsync(full));
  }

  /** As {@link #retry}, completing once the readings are durable. */
  public CompletableFuture<Outcome> retryAsync(Outcome full) {
    return spool
        .appendAsync(full.pending())
        .thenApply(
            result -> {
              if (result instanceof AppendResult.Appended appended) {
                accepted.add(appended.readings().size());
                return new Outcome(appended.readings(), full.refusals(), false, List.of());
              }
              return full;
            });
  }

  private static Outcome join(CompletableFuture<Outcome> outcome) {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SpoolException failure) {
        throw new SpoolException(failure.getMessage(), failure); // this thread's stack, too
      }
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Counts refusals that happened before any reading could be decoded (whole-message ones). */
  public void refuse(String pointId, Refusal refusal) {
    received.increment();
    refusalCounter.count(pointId, refusal);
  }

  /**
   * Counts a payload that could not be decoded at all and sends it, with the reason, to the
   * dead-letter topic. {@code key} is the point id, or the peer address when no point is known.
   */
  public void undecodable(Source source, String key, Refusal refusal, byte[] payload) {
    refuse(key, refusal);
    deadLetters.send(source, key, refusal.detail(), refusal.location(), payload);
  }

  public RefusalCounter refusals() {
    return refusalCounter;
  }

  public long received() {
    return received.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long spoolFullAnswers() {
    return spoolFullAnswers.sum();
  }
}
