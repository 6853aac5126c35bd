package io.envmon.sim.scenario;

import io.envmon.domain.reading.DataFlag;
import java.time.Duration;

/**
 * A device fault during {@code [from, until)} (offsets from the scenario's start; {@code until}
 * null = to the end).
 */
public sealed interface Fault {

  String pointId();

  Duration from();

  Duration until();

  /** The device sends nothing. */
  record Silent(String pointId, Duration from, Duration until) implements Fault {}

  /** The device repeats the values it measured at {@code from}. */
  record Stuck(String pointId, Duration from, Duration until) implements Fault {}

  /** Every value carries this HJ 212 data flag (e.g. D = device fault, M = maintenance). */
  record Flagged(String pointId, Duration from, Duration until, DataFlag flag) implements Fault {}

  /** The device's clock is off by {@code skew}: its observation times are shifted by it. */
  record ClockSkew(String pointId, Duration from, Duration until, Duration skew) implements Fault {}

  /**
   * Every {@code every}-th due reading of the device in the window (counted from {@code from}) is
   * replaced by a malformed packet ({@link MalformedPackets}): garbage or invalid SenML over
   * MQTT/CoAP, a bad-CRC frame over HJ 212.
   */
  record Malformed(String pointId, Duration from, Duration until, int every) implements Fault {
    public Malformed {
      if (every < 1) {
        throw new IllegalArgumentException("malformed fault of " + pointId + ": every must be ≥ 1");
      }
    }
  }

  /**
   * At {@code from} every MQTT station drops its connection and connects again at once ({@code
   * pointId} is {@code *}; {@code until} is unused).
   */
  record ReconnectStorm(String pointId, Duration from, Duration until) implements Fault {}

  /**
   * The station's link is down during {@code [from, until)}: it measures but cannot deliver, keeps
   * its readings, and at its first due instant from {@code until} sends them again marked re-sent
   * (back-filled; HJ 212-2025 {@code RF=1}) before its live reading.
   */
  record Outage(String pointId, Duration from, Duration until) implements Fault {}
}
