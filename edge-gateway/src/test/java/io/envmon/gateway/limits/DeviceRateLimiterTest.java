package io.envmon.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {

  /** A clock moved by hand. */
  private static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-11-21T08:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final HandClock clock = new HandClock();

  /** 10 × a 5-minute interval = 2 readings/min sustained, bursts of 5, a 7-day horizon. */
  private final DeviceRateLimiter limiter =
      new DeviceRateLimiter(
          new DeviceRateLimiter.Settings(10, 5, Duration.ofMinutes(1), Duration.ofDays(7)), clock);

  private static DeviceCredentials.Device device(String id, Duration interval) {
    return new DeviceCredentials.Device(
        id, List.of(id + "-point"), "key", null, null, null, null, Set.of(), List.of(), interval);
  }

  private final DeviceCredentials.Device flooder = device("flooder", Duration.ofMinutes(5));
  private final DeviceCredentials.Device neighbour = device("neighbour", Duration.ofMinutes(5));

  private int admitted(DeviceCredentials.Device device, int readings, Instant observedAt) {
    int admitted = 0;
    for (int i = 0; i < readings; i++) {
      if (limiter.admit(device, observedAt).isEmpty()) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  @DisplayName("a burst is taken, then current readings past it are throttled with the reason")
  void aFloodOfCurrentReadingsIsThrottledAfterTheBurst() {
    assertThat(admitted(flooder, 5, clock.now)).isEqualTo(5);

    Optional<Refusal> refusal = limiter.admit(flooder, clock.now);

    assertThat(refusal).isPresent();
    assertThat(refusal.get().reason()).isEqualTo(RefusalReason.THROTTLED);
    assertThat(refusal.get().detail())
        .isEqualTo(
            "device flooder sends more than 10 × its interval PT5M allows (2.00 readings/min"
                + " sustained, bursts of 5); retry in 30 s");
    assertThat(limiter.throttledByDevice()).containsExactly(java.util.Map.entry("flooder", 1L));
    assertThat(limiter.retryAfter(flooder)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("a flooding device does not slow another device down")
  void anotherDeviceIsNotThrottled() {
    admitted(flooder, 100, clock.now);

    assertThat(admitted(neighbour, 5, clock.now)).isEqualTo(5);
    assertThat(limiter.throttledByDevice()).containsOnlyKeys("flooder");
  }

  @Test
  @DisplayName("a throttled device gets readings through again at factor × its nominal rate")
  void theSustainedRateIsFactorTimesTheNominalRate() {
    admitted(flooder, 100, clock.now);

    clock.now = clock.now.plusSeconds(60);
    // 60 s at 2 readings/min: two readings, not three.
    assertThat(admitted(flooder, 3, clock.now)).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "history re-sent after a two-day outage (old timestamps) is taken whole, past the burst")
  void aBackfillAfterAnOutageIsNotThrottled() {
    int owed = (int) (Duration.ofDays(2).toMinutes() / 5); // 576 readings of a 5-minute device
    int admitted = 0;
    for (int i = owed; i > 0; i--) {
      if (limiter.admit(flooder, clock.now.minus(Duration.ofMinutes(5L * i))).isEmpty()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(owed);
    assertThat(limiter.throttled()).isZero();
    // The history came out of the back-fill allowance: current readings still have their burst.
    assertThat(admitted(flooder, 3, clock.now)).isEqualTo(3);
  }

  @Test
  @DisplayName("old timestamps buy at most one lateness horizon's worth of readings at once")
  void theBackfillAllowanceIsBounded() {
    Instant old = clock.now.minus(Duration.ofDays(1));
    int horizon = (int) (Duration.ofDays(7).toMinutes() / 5); // 2,016 readings

    assertThat(admitted(flooder, horizon + 100, old)).isEqualTo(horizon + 5);
    assertThat(limiter.throttledByDevice()).containsEntry("flooder", 95L);
  }

  @Test
  @DisplayName("a device without an interval gets the default one; factor 0 turns the limit off")
  void defaultIntervalAndOff() {
    DeviceCredentials.Device unknownInterval = device("plain", null);
    assertThat(limiter.intervalOf(unknownInterval)).isEqualTo(Duration.ofMinutes(1));

    DeviceRateLimiter off = new DeviceRateLimiter(DeviceRateLimiter.Settings.off(), clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(off.admit(flooder, clock.now)).isEmpty();
    }
    assertThat(limiter.admit(null, clock.now)).as("no identity, no limit").isEmpty();
  }
}
