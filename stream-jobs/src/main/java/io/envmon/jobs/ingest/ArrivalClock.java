package io.envmon.jobs.ingest;

import io.envmon.domain.reading.AcceptedReading;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The platform's clock as Flink event time: a reading's timestamp is its arrival at the platform
 * ({@code receivedAt}), never the station's {@code observedAt}. The watermark follows the newest
 * arrival less {@code allowance}; after {@code quietAfter} without readings it follows {@code
 * clock}, so a silent point is seen to be silent; after a start it waits {@code startupGrace} so
 * that readings queued in Kafka replay their own arrival times first. It never runs ahead of {@code
 * clock} less {@code allowance} (docs/stream-jobs.md "Time").
 *
 * @param clock the platform clock (the system clock; a test may pass a scaled one)
 */
public record ArrivalClock(
    Duration allowance, Duration quietAfter, Duration startupGrace, Clock clock)
    implements Serializable {

  public ArrivalClock {
    Objects.requireNonNull(allowance, "allowance");
    Objects.requireNonNull(quietAfter, "quietAfter");
    Objects.requireNonNull(startupGrace, "startupGrace");
    Objects.requireNonNull(clock, "clock");
  }

  /** 10 s of transit, quiet after 2 s, 30 s for a backlog to start after a start; system clock. */
  public static ArrivalClock defaults() {
    return new ArrivalClock(
        Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30), Clock.systemUTC());
  }

  public ArrivalClock withClock(Clock other) {
    return new ArrivalClock(allowance, quietAfter, startupGrace, other);
  }

  /** Arrival time as event time, with the watermarks described above. */
  public WatermarkStrategy<AcceptedReading> watermarks() {
    ArrivalClock settings = this;
    return WatermarkStrategy.<AcceptedReading>forGenerator(context -> new Generator(settings))
        .withTimestampAssigner((reading, previous) -> reading.receivedAt().toEpochMilli());
  }

  /** One per parallel instance of the "event time" operator. */
  static final class Generator implements WatermarkGenerator<AcceptedReading> {
    private final long allowanceMillis;
    private final long quietAfterMillis;
    private final long startupGraceMillis;
    private final Clock clock;
    private final long startedAt;
    private long newestArrival = Long.MIN_VALUE;
    private long lastReadingAt = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    Generator(ArrivalClock settings) {
      this.allowanceMillis = settings.allowance().toMillis();
      this.quietAfterMillis = settings.quietAfter().toMillis();
      this.startupGraceMillis = settings.startupGrace().toMillis();
      this.clock = settings.clock();
      this.startedAt = clock.millis();
    }

    @Override
    public void onEvent(AcceptedReading reading, long arrival, WatermarkOutput output) {
      newestArrival = Math.max(newestArrival, arrival);
      lastReadingAt = clock.millis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      long now = clock.millis();
      long ceiling = now - allowanceMillis;
      long candidate =
          newestArrival == Long.MIN_VALUE ? Long.MIN_VALUE : newestArrival - allowanceMillis;
      boolean quiet =
          lastReadingAt == Long.MIN_VALUE
              ? now - startedAt >= startupGraceMillis
              : now - lastReadingAt >= quietAfterMillis;
      if (quiet) {
        candidate = ceiling;
      }
      candidate = Math.min(candidate, ceiling);
      if (candidate > emitted) {
        emitted = candidate;
        output.emitWatermark(new Watermark(candidate));
      }
    }
  }
}
