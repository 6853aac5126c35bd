package io.envmon.testsupport;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A platform clock for long scenarios in short tests, shared by everything a test runs in its JVM
 * (the gateways, the jobs' watermark generators in a MiniCluster, the test itself): it shows {@code
 * platformStart} until {@link #start()}, then runs {@code factor} times faster than real time until
 * {@link #freeze()}. A copy made by serialization (Flink ships it to its tasks) reads the same
 * time: the state lives in this JVM, under the clock's name.
 */
public final class ScaledClock extends Clock implements Serializable {

  /** Per clock: {real millis at start, platform millis at start, frozen platform millis or -1}. */
  private static final Map<String, long[]> STATES = new ConcurrentHashMap<>();

  private final String name = UUID.randomUUID().toString();
  private final long platformStartMillis;
  private final long factor;

  private ScaledClock(Instant platformStart, long factor) {
    this.platformStartMillis = platformStart.toEpochMilli();
    this.factor = factor;
  }

  /** A clock showing {@code platformStart} until it is started. */
  public static ScaledClock frozenAt(Instant platformStart, long factor) {
    return new ScaledClock(platformStart, factor);
  }

  /** From now on, {@code factor} times faster than real time. */
  public ScaledClock start() {
    STATES.put(name, new long[] {System.currentTimeMillis(), millis(), -1});
    return this;
  }

  /** Stops the clock where it is. */
  public ScaledClock freeze() {
    long now = millis();
    STATES.put(name, new long[] {0, 0, now});
    return this;
  }

  /** Stops the clock at {@code at}: a test that steps the platform clock itself. */
  public ScaledClock freezeAt(Instant at) {
    STATES.put(name, new long[] {0, 0, at.toEpochMilli()});
    return this;
  }

  public long factor() {
    return factor;
  }

  @Override
  public long millis() {
    long[] state = STATES.get(name);
    if (state == null) {
      return platformStartMillis;
    }
    if (state[2] >= 0) {
      return state[2];
    }
    return state[1] + (System.currentTimeMillis() - state[0]) * factor;
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

  /** How long, in real time, until this (running) clock shows {@code at}; zero when it is past. */
  public Duration realTimeUntil(Instant at) {
    long platformMillis = at.toEpochMilli() - millis();
    return platformMillis <= 0 ? Duration.ZERO : Duration.ofMillis(platformMillis / factor + 1);
  }
}
