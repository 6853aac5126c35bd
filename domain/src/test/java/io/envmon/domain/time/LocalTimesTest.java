package io.envmon.domain.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LocalTimesTest {

  @Test
  void showsTheCitysLocalTimeWithItsOffset() {
    Instant at = Instant.parse("2026-12-02T16:36:43Z");
    assertThat(LocalTimes.format(at, ZoneId.of("Asia/Shanghai")))
        .isEqualTo("2026-12-03 00:36 +08:00");
    assertThat(LocalTimes.format(at, ZoneId.of("UTC"))).isEqualTo("2026-12-02 16:36 +00:00");
  }
}
