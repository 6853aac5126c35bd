package io.envmon.gateway.limits;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-device flood limit (docs/gateway.md "Per-device limits"): each identified device has a token
 * bucket of {@code rateFactor} × its nominal rate (one reading per {@code interval}) holding up to
 * {@code burstReadings}, and a back-fill allowance of one lateness horizon's worth of readings
 * (horizon / interval), refilled at the nominal rate. A reading older than two intervals (a
 * back-fill: history re-sent after an outage, HJ 212 {@code RF=1}, a SenML batch) takes a token
 * from the allowance while it lasts, any other reading from the bucket. One lock per device:
 * devices never wait for each other.
 */
public final class DeviceRateLimiter {

  private static final Logger log = LoggerFactory.getLogger(DeviceRateLimiter.class);

  /**
   * @param rateFactor how many times its nominal rate a device may send, sustained; 0 = no limit
   * @param burstReadings how many readings the bucket holds (sent at once after a quiet spell)
   * @param defaultInterval the nominal interval of a device without {@code interval}
   * @param backfillHorizon how far back a device may re-send at once (the lateness horizon: older
   *     readings are refused {@code too_old} anyway)
   */
  public record Settings(
      int rateFactor, int burstReadings, Duration defaultInterval, Duration backfillHorizon) {
    public static final int DEFAULT_RATE_FACTOR = 10;
    public static final int DEFAULT_BURST_READINGS = 60;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    public Settings {
      Objects.requireNonNull(defaultInterval, "defaultInterval");
      Objects.requireNonNull(backfillHorizon, "backfillHorizon");
      if (rateFactor < 0) {
        throw new IllegalArgumentException("limit.rate.factor must be 0 (off) or more");
      }
      if (burstReadings < 1) {
        throw new IllegalArgumentException("limit.burst.readings must be at least 1");
      }
      if (defaultInterval.isNegative() || defaultInterval.isZero()) {
        throw new IllegalArgumentException("limit.default.interval must be positive");
      }
    }

    public static Settings off() {
      return new Settings(0, 1, DEFAULT_INTERVAL, Duration.ofDays(7));
    }

    public boolean enabled() {
      return rateFactor > 0;
    }
  }

  /** One device's bucket and allowance; guarded by itself. */
  private static final class Budget {
    double tokens;
    double backfillTokens;
    Instant refilledAt;
    boolean throttling;
    long refusedInEpisode;
    final LongAdder throttled = new LongAdder();
  }

  private final Settings settings;
  private final Clock clock;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
  private final LongAdder throttledTotal = new LongAdder();

  public DeviceRateLimiter(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static DeviceRateLimiter off() {
    return new DeviceRateLimiter(Settings.off(), Clock.systemUTC());
  }

  public Settings settings() {
    return settings;
  }

  /** The device's nominal interval: its {@code interval}, or the default. */
  public Duration intervalOf(DeviceCredentials.Device device) {
    return device.interval() != null ? device.interval() : settings.defaultInterval();
  }

  /**
   * Lets one reading of {@code device} observed at {@code observedAt} through, or returns the
   * {@code throttled} refusal (counted for the device). A null device (no identity: an anonymous
   * broker) is not limited.
   */
  public Optional<Refusal> admit(DeviceCredentials.Device device, Instant observedAt) {
    if (device == null || !settings.enabled()) {
      return Optional.empty();
    }
    Duration interval = intervalOf(device);
    Instant now = clock.instant();
    Budget budget = budgets.computeIfAbsent(device.deviceId(), id -> fresh(interval, now));
    synchronized (budget) {
      refill(budget, interval, now);
      boolean backfill = observedAt.isBefore(now.minus(interval.multipliedBy(2)));
      if (backfill && budget.backfillTokens >= 1) {
        budget.backfillTokens -= 1; // history: leaves the bucket to the current readings
      } else if (budget.tokens >= 1) {
        budget.tokens -= 1;
      } else {
        budget.throttled.increment();
        throttledTotal.increment();
        budget.refusedInEpisode++;
        if (!budget.throttling) {
          budget.throttling = true;
          log.warn(
              "device {} sends faster than {} × its interval {} allows ({} readings/min"
                  + " sustained, bursts of {}): its readings are refused as throttled until it"
                  + " slows down (counted in envmon_gateway_throttled_total{{device}}; logged"
                  + " once per episode)",
              device.deviceId(),
              settings.rateFactor(),
              interval,
              perMinute(interval),
              capacity());
        }
        return Optional.of(
            new Refusal(
                RefusalReason.THROTTLED,
                "device",
                "device "
                    + device.deviceId()
                    + " sends more than "
                    + settings.rateFactor()
                    + " × its interval "
                    + interval
                    + " allows ("
                    + perMinute(interval)
                    + " readings/min sustained, bursts of "
                    + capacity()
                    + "); retry in "
                    + retryAfterLocked(budget, interval).toSeconds()
                    + " s"));
      }
      if (budget.throttling) {
        budget.throttling = false;
        log.info(
            "device {} no longer throttled: {} readings refused in the episode",
            device.deviceId(),
            budget.refusedInEpisode);
        budget.refusedInEpisode = 0;
      }
      return Optional.empty();
    }
  }

  /** How long until {@code device} may send one current reading again (at least 1 s). */
  public Duration retryAfter(DeviceCredentials.Device device) {
    Budget budget = device == null ? null : budgets.get(device.deviceId());
    if (budget == null || !settings.enabled()) {
      return Duration.ofSeconds(1);
    }
    Duration interval = intervalOf(device);
    synchronized (budget) {
      refill(budget, interval, clock.instant());
      return retryAfterLocked(budget, interval);
    }
  }

  private Duration retryAfterLocked(Budget budget, Duration interval) {
    double missing = Math.max(0, 1 - budget.tokens);
    double seconds = missing / ratePerSecond(interval);
    return Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds)));
  }

  private Budget fresh(Duration interval, Instant now) {
    Budget budget = new Budget();
    budget.tokens = capacity();
    budget.backfillTokens = backfillCapacity(interval);
    budget.refilledAt = now;
    return budget;
  }

  private void refill(Budget budget, Duration interval, Instant now) {
    double seconds = Duration.between(budget.refilledAt, now).toNanos() / 1e9;
    if (seconds <= 0) {
      return;
    }
    budget.refilledAt = now;
    budget.tokens = Math.min(capacity(), budget.tokens + seconds * ratePerSecond(interval));
    budget.backfillTokens =
        Math.min(
            backfillCapacity(interval),
            budget.backfillTokens + seconds / (interval.toNanos() / 1e9));
  }

  private int capacity() {
    return settings.burstReadings();
  }

  /** One horizon's worth of readings at the device's interval (at least the burst). */
  private double backfillCapacity(Duration interval) {
    return Math.max(
        settings.burstReadings(),
        (double) settings.backfillHorizon().toNanos() / (double) interval.toNanos());
  }

  private double ratePerSecond(Duration interval) {
    return settings.rateFactor() / (interval.toNanos() / 1e9);
  }

  private String perMinute(Duration interval) {
    double perMinute = ratePerSecond(interval) * 60;
    return perMinute >= 10
        ? Long.toString(Math.round(perMinute))
        : String.format(java.util.Locale.ROOT, "%.2f", perMinute);
  }

  /** Readings refused as throttled per device id, since the gateway started; sorted. */
  public Map<String, Long> throttledByDevice() {
    Map<String, Long> counts = new TreeMap<>();
    budgets.forEach(
        (device, budget) -> {
          long count = budget.throttled.sum();
          if (count > 0) {
            counts.put(device, count);
          }
        });
    return counts;
  }

  public long throttled() {
    return throttledTotal.sum();
  }
}
