package io.envmon.domain.hj212;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A packet read permissively ({@link Hj212Codec#read}) and the deviations from HJ 212 found on the
 * way. The framing runs before the station is known; once its MN is read, {@link #untolerated} says
 * whether the station may send such a packet.
 */
public record Hj212Read(Hj212Packet packet, List<Found> deviations) {

  /** One deviation: which, the strict reader's reason, and where in the packet. */
  public record Found(Hj212Deviation deviation, String reason, String location) {
    public Found {
      Objects.requireNonNull(deviation, "deviation");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(location, "location");
    }

    /** The strict reader's reason, with the setting that would take such packets. */
    public String refusal() {
      return reason + "; the station's hj212.tolerate=" + deviation.setting() + " would take it";
    }
  }

  public Hj212Read {
    Objects.requireNonNull(packet, "packet");
    deviations = List.copyOf(deviations);
  }

  /** True when the packet follows the standard. */
  public boolean isStrict() {
    return deviations.isEmpty();
  }

  /** The first deviation {@code tolerated} does not cover, if any. */
  public Optional<Found> untolerated(Set<Hj212Deviation> tolerated) {
    return deviations.stream().filter(f -> !tolerated.contains(f.deviation())).findFirst();
  }

  /** The kinds of deviation found, each once. */
  public Set<Hj212Deviation> kinds() {
    Set<Hj212Deviation> kinds = EnumSet.noneOf(Hj212Deviation.class);
    deviations.forEach(f -> kinds.add(f.deviation()));
    return kinds;
  }
}
