package io.envmon.sim.run;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of a simulation run, shared by the sending loop, the acknowledgement callbacks and the
 * progress line.
 */
public final class Progress {
  final LongAdder sent = new LongAdder();
  final LongAdder acknowledged = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder withheld = new LongAdder();

  /** Due readings a silent device did not send (scenario faults). */
  public long withheld() {
    return withheld.sum();
  }

  public long sent() {
    return sent.sum();
  }

  public long acknowledged() {
    return acknowledged.sum();
  }

  /** Sends the gateway refused or that failed on the connection. */
  public long failed() {
    return failed.sum();
  }

  public long pending() {
    return sent() - acknowledged() - failed();
  }
}
