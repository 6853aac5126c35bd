package io.envmon.api.open;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublicRateLimiterTest {

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

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
  @DisplayName("an address gets its requests of the minute, then waits for the window's end")
  void limitsEachAddressPerMinute() {
    TestClock clock = new TestClock();
    PublicRateLimiter limiter = new PublicRateLimiter(new PublicLimits(3), clock);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("198.51.100.7")).isEmpty();
    }
    assertThat(limiter.remaining("198.51.100.7")).isZero();
    clock.now = clock.now.plusSeconds(20);
    assertThat(limiter.acquire("198.51.100.7")).isEqualTo(Optional.of(Duration.ofSeconds(40)));
    assertThat(limiter.acquire("203.0.113.9")).as("another address").isEmpty();
    clock.now = clock.now.plusSeconds(40);
    assertThat(limiter.acquire("198.51.100.7")).as("a new window").isEmpty();
    assertThat(limiter.remaining("198.51.100.7")).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a caller with a limit of its own (an API key) is counted by it, not by the address's")
  void aCallerWithItsOwnLimit() {
    TestClock clock = new TestClock();
    PublicRateLimiter limiter = new PublicRateLimiter(new PublicLimits(3), clock);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire("api-key:7", 5)).isEmpty();
    }
    assertThat(limiter.remaining("api-key:7", 5)).isZero();
    assertThat(limiter.acquire("api-key:7", 5)).isEqualTo(Optional.of(Duration.ofMinutes(1)));
    assertThat(limiter.remaining("api-key:8", 2)).as("another key").isEqualTo(2);
  }
}
