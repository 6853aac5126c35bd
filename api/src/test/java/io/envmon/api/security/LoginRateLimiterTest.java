package io.envmon.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rate limit of failed logins")
class LoginRateLimiterTest {

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
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

  @Test
  @DisplayName("the limit's failures within the window block the name until the oldest expires")
  void blocksUntilOldestFailureLeavesWindow() {
    MovableClock clock = new MovableClock();
    LoginRateLimiter limiter =
        new LoginRateLimiter(new LoginLimits(3, 100, Duration.ofMinutes(5)), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.retryAfter("a", "10.0.0.1")).isEmpty();
      limiter.recordFailure("a", "10.0.0.1");
      clock.now = clock.now.plusSeconds(60);
    }
    assertThat(limiter.retryAfter("a", "10.0.0.1")).contains(Duration.ofMinutes(2));
    assertThat(limiter.retryAfter("b", "10.0.0.1")).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThat(limiter.retryAfter("a", "10.0.0.1")).isEmpty();
  }

  @Test
  @DisplayName("failures across many names from one address block that address")
  void blocksAnAddressTryingManyNames() {
    MovableClock clock = new MovableClock();
    LoginRateLimiter limiter =
        new LoginRateLimiter(new LoginLimits(5, 3, Duration.ofMinutes(5)), clock);
    limiter.recordFailure("a", "10.0.0.9");
    limiter.recordFailure("b", "10.0.0.9");
    limiter.recordFailure("c", "10.0.0.9");
    assertThat(limiter.retryAfter("d", "10.0.0.9")).isPresent();
    assertThat(limiter.retryAfter("d", "10.0.0.8")).isEmpty();
  }

  @Test
  @DisplayName("failures for a name from one address do not lock its user out from another")
  void anAttackerCannotLockTheRealUserOut() {
    MovableClock clock = new MovableClock();
    LoginRateLimiter limiter =
        new LoginRateLimiter(new LoginLimits(3, 100, Duration.ofMinutes(5)), clock);
    for (int i = 0; i < 10; i++) {
      limiter.recordFailure("wujiang-bureau", "203.0.113.7");
    }
    assertThat(limiter.retryAfter("wujiang-bureau", "203.0.113.7")).isPresent();
    assertThat(limiter.retryAfter("wujiang-bureau", "10.20.0.5")).isEmpty();
  }

  @Test
  @DisplayName("a successful login clears the name's failures")
  void successClearsFailures() {
    MovableClock clock = new MovableClock();
    LoginRateLimiter limiter =
        new LoginRateLimiter(new LoginLimits(2, 100, Duration.ofMinutes(5)), clock);
    limiter.recordFailure("a", "x");
    limiter.recordSuccess("a", "x");
    limiter.recordFailure("a", "x");
    assertThat(limiter.retryAfter("a", "x")).isEmpty();
  }
}
