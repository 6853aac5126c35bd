package io.envmon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import org.junit.jupiter.api.Test;

class RefusalCounterTest {

  @Test
  void everyRefusalIsCountedByItsReasonEvenWhenItsLogLineIsSuppressed() {
    RefusalCounter counter = new RefusalCounter();
    for (int i = 0; i < 1000; i++) {
      counter.count("p", new Refusal(RefusalReason.IMPOSSIBLE_VALUE, "pm25", "value -1"));
    }
    counter.count("p", new Refusal(RefusalReason.UNKNOWN_POINT, "", "unknown"));
    assertThat(counter.count(RefusalReason.IMPOSSIBLE_VALUE)).isEqualTo(1000);
    assertThat(counter.count(RefusalReason.UNKNOWN_POINT)).isEqualTo(1);
    assertThat(counter.snapshot()).containsEntry(RefusalReason.FUTURE_TIMESTAMP, 0L);
  }

  @Test
  void tooOldReadingsAreCountedUnderTheirOwnReason() {
    RefusalCounter counter = new RefusalCounter();
    counter.count("p", new Refusal(RefusalReason.TOO_OLD, "t", "observation time … too old"));
    counter.count("p", new Refusal(RefusalReason.TOO_OLD, "t", "observation time … too old"));
    assertThat(counter.count(RefusalReason.TOO_OLD)).isEqualTo(2);
    assertThat(counter.snapshot()).containsEntry(RefusalReason.TOO_OLD, 2L);
  }
}
