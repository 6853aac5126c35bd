package io.envmon.api.security;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per user name <em>from one client address</em>, and per client address, in a
 * sliding window; a key over its limit is refused until its oldest failure leaves the window. A
 * user name is never blocked as such: failures from one address cannot lock its real user out when
 * he logs in from another. The answer is the same whether the name exists or not. In memory: per
 * API replica.
 */
@Singleton
public class LoginRateLimiter {

  private final LoginLimits limits;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public LoginRateLimiter(LoginLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** How long the caller must wait, when one of its keys is over its limit. */
  public Optional<Duration> retryAfter(String username, String address) {
    Instant now = clock.instant();
    return max(
        retryAfter(userKey(username, address), limits.maxFailures(), now),
        retryAfter("address:" + address, limits.maxFailuresPerAddress(), now));
  }

  public void recordFailure(String username, String address) {
    Instant now = clock.instant();
    record(userKey(username, address), now);
    record("address:" + address, now);
  }

  /** Clears the name's failures from this address (the address's own count stays). */
  public void recordSuccess(String username, String address) {
    failures.remove(userKey(username, address));
  }

  private static String userKey(String username, String address) {
    return "user:" + username + "@" + address;
  }

  private void record(String key, Instant now) {
    failures.compute(
        key,
        (k, times) -> {
          Deque<Instant> kept = times == null ? new ArrayDeque<>() : times;
          prune(kept, now);
          kept.addLast(now);
          return kept;
        });
  }

  private Optional<Duration> retryAfter(String key, int limit, Instant now) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return Optional.empty();
    }
    synchronized (times) {
      prune(times, now);
      if (times.size() < limit) {
        return Optional.empty();
      }
      return Optional.of(Duration.between(now, times.peekFirst().plus(limits.window())));
    }
  }

  private void prune(Deque<Instant> times, Instant now) {
    synchronized (times) {
      while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(limits.window()))) {
        times.removeFirst();
      }
    }
  }

  private static Optional<Duration> max(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().compareTo(b.get()) >= 0 ? a : b;
  }
}
