package io.envmon.api.open;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests of the public API per caller (an address, or an API key) in fixed one-minute windows:
 * over its requests per minute ({@link PublicLimits#requestsPerMinute()} for an address, the key's
 * own for a key) the caller waits for the next window. Windows that ended are dropped once many
 * callers were seen, so the table stays small.
 */
@Singleton
public class PublicRateLimiter {

  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int PRUNE_ABOVE = 10_000;

  private record Window(Instant start, int count) {}

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final PublicLimits limits;
  private final Clock clock;

  public PublicRateLimiter(PublicLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Counts the request of an address; empty when it may go on, else how long the caller must wait.
   */
  public Optional<Duration> acquire(String caller) {
    return acquire(caller, limits.requestsPerMinute());
  }

  /** Counts the request of a caller allowed {@code requestsPerMinute}; as {@link #acquire}. */
  public Optional<Duration> acquire(String caller, int requestsPerMinute) {
    Instant now = clock.instant();
    if (windows.size() > PRUNE_ABOVE) {
      windows.values().removeIf(w -> !now.isBefore(w.start().plus(WINDOW)));
    }
    Window window =
        windows.compute(
            caller,
            (key, current) ->
                current == null || !now.isBefore(current.start().plus(WINDOW))
                    ? new Window(now, 1)
                    : new Window(current.start(), current.count() + 1));
    if (window.count() <= requestsPerMinute) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, window.start().plus(WINDOW)));
  }

  /** Starts the caller's count over (an operator unblocking an address; the tests). */
  public void forget(String caller) {
    windows.remove(caller);
  }

  /** Requests left to an address in its current window. */
  public int remaining(String caller) {
    return remaining(caller, limits.requestsPerMinute());
  }

  /** Requests left in its current window to a caller allowed {@code requestsPerMinute}. */
  public int remaining(String caller, int requestsPerMinute) {
    Window window = windows.get(caller);
    return window == null ? requestsPerMinute : Math.max(0, requestsPerMinute - window.count());
  }
}
