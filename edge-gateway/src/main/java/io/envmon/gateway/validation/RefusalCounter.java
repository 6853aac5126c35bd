package io.envmon.gateway.validation;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every refusal by reason and logs them rate-limited (at most one line per reason per
 * interval, saying how many were suppressed), so a misbehaving device cannot flood the log.
 */
public final class RefusalCounter {

  private static final Logger log = LoggerFactory.getLogger(RefusalCounter.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Map<RefusalReason, LongAdder> counts = new EnumMap<>(RefusalReason.class);
  private final Map<RefusalReason, AtomicLong> lastLogged = new EnumMap<>(RefusalReason.class);
  private final Map<RefusalReason, LongAdder> suppressed = new EnumMap<>(RefusalReason.class);

  public RefusalCounter() {
    for (RefusalReason reason : RefusalReason.values()) {
      counts.put(reason, new LongAdder());
      lastLogged.put(reason, new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS));
      suppressed.put(reason, new LongAdder());
    }
  }

  /** Counts and (rate-limited) logs one refusal of a reading of {@code pointId}. */
  public void count(String pointId, Refusal refusal) {
    counts.get(refusal.reason()).increment();
    AtomicLong last = lastLogged.get(refusal.reason());
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= LOG_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
      long skipped = suppressed.get(refusal.reason()).sumThenReset();
      log.warn(
          "refused from {}: {}{}",
          pointId,
          refusal,
          skipped > 0 ? " (" + skipped + " more " + refusal.reason().code() + " not logged)" : "");
    } else {
      suppressed.get(refusal.reason()).increment();
    }
  }

  public long count(RefusalReason reason) {
    return counts.get(reason).sum();
  }

  /** Every reason with its count, in declaration order. */
  public Map<RefusalReason, Long> snapshot() {
    Map<RefusalReason, Long> snapshot = new EnumMap<>(RefusalReason.class);
    counts.forEach((reason, count) -> snapshot.put(reason, count.sum()));
    return snapshot;
  }
}
