package io.envmon.jobs;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A platform clock for long scenarios in short tests: {@code platformStart} at the real instant
 * {@code realStart}, then {@code factor} times faster. Serializable and stateless, so the test (the
 * "gateways") and the jobs' watermark generators in the MiniCluster read the same time.
 */
public final class ScaledClock extends Clock implements Serializable {
  private final long realStartMillis;
  private final long platformStartMillis;
  private final long factor;

  public ScaledClock(Instant realStart, Instant platformStart, long factor) {
    this.realStartMillis = realStart.toEpochMilli();
    this.platformStartMillis = platformStart.toEpochMilli();
    this.factor = factor;
  }

  @Override
  public long millis() {
    return platformStartMillis + (System.currentTimeMillis() - realStartMillis) * factor;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** How long, in real time, until this clock shows {@code at} (zero when it is past). */
  public Duration realTimeUntil(Instant at) {
    long platformMillis = at.toEpochMilli() - millis();
    return platformMillis <= 0 ? Duration.ZERO : Duration.ofMillis(platformMillis / factor + 1);
  }
}
