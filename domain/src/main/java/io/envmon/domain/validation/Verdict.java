package io.envmon.domain.validation;

import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.reading.Reading;
import java.util.List;

/** What validation decided about one reading. */
public sealed interface Verdict {

  /**
   * The reading (with only its acceptable values) may be spooled; {@code refusals} lists the values
   * left out. {@code reading} is null when only the point was checked.
   */
  record Accepted(Reading reading, MonitoringPoint point, List<Refusal> refusals)
      implements Verdict {
    public Accepted {
      refusals = List.copyOf(refusals);
    }
  }

  /** Nothing of the reading is kept. */
  record Refused(List<Refusal> refusals) implements Verdict {
    public Refused {
      refusals = List.copyOf(refusals);
      if (refusals.isEmpty()) {
        throw new IllegalArgumentException("a refusal needs a reason");
      }
    }

    public Refused(Refusal refusal) {
      this(List.of(refusal));
    }
  }
}
