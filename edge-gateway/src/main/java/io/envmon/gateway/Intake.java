package io.envmon.gateway;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
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
 * The one way a decoded reading enters envmon, whatever the protocol: validate it, append what is
 * acceptable to the spool, count and report the rest. Protocol adapters acknowledge a device only
 * when {@link Outcome#spoolFull()} is false.
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
   * Validates and spools the readings a device sent for {@code pointId}, waiting until they are
   * durable. {@code decodeRefusals} are what the protocol decoder already left out (malformed
   * records); they are counted and reported with the rest. When the spool is full nothing is
   * spooled and the device must retry.
   *
   * @throws SpoolException when the disk fails (do not acknowledge)
   */
  public Outcome accept(String pointId, List<Reading> readings, List<Refusal> decodeRefusals) {
    return join(acceptAsync(pointId, readings, decodeRefusals));
  }

  /** As {@link #accept}, the readings of {@code device}, held to its rate limit. */
  public Outcome accept(
      DeviceCredentials.Device device,
      String pointId,
      List<Reading> readings,
      List<Refusal> decodeRefusals) {
    return join(acceptAsync(device, pointId, readings, decodeRefusals));
  }

  /** As {@link #acceptAsync}, the readings of {@code device}, held to its rate limit. */
  public CompletableFuture<Outcome> acceptAsync(
      DeviceCredentials.Device device,
      String pointId,
      List<Reading> readings,
      List<Refusal> decodeRefusals) {
    return acceptAllAsync(List.of(new Message(pointId, readings, decodeRefusals, device)))
        .thenApply(outcomes -> outcomes.get(0));
  }

  /**
   * As {@link #accept}, without blocking: validates on the calling thread, and the future completes
   * once the accepted readings are durable in the spool (on the spool's fsync thread: keep what is
   * chained on it short), or exceptionally with a {@link SpoolException}. Appends of one thread are
   * spooled in call order.
   */
  public CompletableFuture<Outcome> acceptAsync(
      String pointId, List<Reading> readings, List<Refusal> decodeRefusals) {
    return acceptAllAsync(List.of(new Message(pointId, readings, decodeRefusals)))
        .thenApply(outcomes -> outcomes.get(0));
  }

  /**
   * The decoded readings of one device message, for {@link #acceptAllAsync}. {@code device} is the
   * sender whose rate limit applies; null when it is not known (an anonymous broker): no limit.
   */
  public record Message(
      String pointId,
      List<Reading> readings,
      List<Refusal> decodeRefusals,
      DeviceCredentials.Device device) {
    public Message(String pointId, List<Reading> readings, List<Refusal> decodeRefusals) {
      this(pointId, readings, decodeRefusals, null);
    }
  }

  /**
   * As {@link #acceptAsync} for several messages at once, with ONE spool append for all their
   * accepted readings (in message order): the outcomes, one per message in the same order, are all
   * durable together, or all {@link Outcome#spoolFull()} when the batch does not fit (each can then
   * be retried on its own with {@link #retryAsync}).
   */
  public CompletableFuture<List<Outcome>> acceptAllAsync(List<Message> messages) {
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
