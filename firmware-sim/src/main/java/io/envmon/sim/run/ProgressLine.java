package io.envmon.sim.run;

import java.io.PrintStream;
import java.util.function.Consumer;

/** The live progress line: sent, acknowledged, refused or failed, pending, and the send rate. */
public final class ProgressLine implements Consumer<Progress> {
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long lastSent;
  private long lastNanos = startNanos;

  public ProgressLine(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(Progress progress) {
    long now = System.nanoTime();
    long sent = progress.sent();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double rate = (sent - lastSent) / seconds;
    lastSent = sent;
    lastNanos = now;
    out.printf(
        "sim: %,d sent, %,d acknowledged, %,d refused/failed, %,d pending, %,.0f readings/s%s%n",
        sent,
        progress.acknowledged(),
        progress.failed(),
        progress.pending(),
        rate,
        progress.withheld() == 0 ? "" : ", %,d withheld (silent)".formatted(progress.withheld()));
  }
}
