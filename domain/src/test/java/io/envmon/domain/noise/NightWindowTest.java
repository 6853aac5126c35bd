package io.envmon.domain.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.point.NoiseZone;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A city's night window (Noise Pollution Prevention Law: 8 hours, movable)")
class NightWindowTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final NightWindow ELEVEN_TO_SEVEN = NightWindow.parse("23:00-07:00");

  @Test
  void theDefaultIsTwentyTwoToSix() {
    assertThat(NightWindow.DEFAULT.toString()).isEqualTo("22:00-06:00");
    assertThat(NightWindow.DEFAULT).isEqualTo(NightWindow.of("22:00", "06:00"));
  }

  @Test
  void withANightOfElevenToSevenHalfPastTenIsDayAndHalfPastSixIsNight() {
    // 22:30 in Shanghai is 14:30 UTC; 06:30 is 22:30 UTC the day before.
    assertThat(NoisePeriod.at(Instant.parse("2025-11-21T14:30:00Z"), SHANGHAI, ELEVEN_TO_SEVEN))
        .isEqualTo(NoisePeriod.DAY);
    assertThat(NoisePeriod.at(Instant.parse("2025-11-20T22:30:00Z"), SHANGHAI, ELEVEN_TO_SEVEN))
        .isEqualTo(NoisePeriod.NIGHT);
    // The default night reads the same instants the other way round.
    assertThat(NoisePeriod.at(Instant.parse("2025-11-21T14:30:00Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.NIGHT);
    assertThat(NoisePeriod.at(Instant.parse("2025-11-20T22:30:00Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.DAY);
  }

  @Test
  void theBoundsAreStartInclusiveEndExclusive() {
    assertThat(ELEVEN_TO_SEVEN.contains(LocalTime.of(23, 0))).isTrue();
    assertThat(ELEVEN_TO_SEVEN.contains(LocalTime.of(22, 59))).isFalse();
    assertThat(ELEVEN_TO_SEVEN.contains(LocalTime.of(6, 59))).isTrue();
    assertThat(ELEVEN_TO_SEVEN.contains(LocalTime.of(7, 0))).isFalse();
    NightWindow notWrapping = NightWindow.parse("00:00-08:00");
    assertThat(notWrapping.contains(LocalTime.MIDNIGHT)).isTrue();
    assertThat(notWrapping.contains(LocalTime.of(8, 0))).isFalse();
    assertThat(notWrapping.contains(LocalTime.of(23, 59))).isFalse();
  }

  @Test
  void theAssessmentUsesTheCitysNight() {
    NoiseAssessment at2230 =
        NoiseAssessor.assess(
            NoiseZone.Z2, 53.5, Instant.parse("2025-11-21T14:30:00Z"), SHANGHAI, ELEVEN_TO_SEVEN);
    assertThat(at2230.period()).isEqualTo(NoisePeriod.DAY);
    assertThat(at2230.limitDbA()).isEqualTo(60);
    assertThat(at2230.compliant()).isTrue();
    NoiseAssessment at0630 =
        NoiseAssessor.assess(
            NoiseZone.Z2, 53.5, Instant.parse("2025-11-20T22:30:00Z"), SHANGHAI, ELEVEN_TO_SEVEN);
    assertThat(at0630.period()).isEqualTo(NoisePeriod.NIGHT);
    assertThat(at0630.limitDbA()).isEqualTo(50);
    assertThat(at0630.exceedanceDbA()).isEqualTo(3.5);
  }

  @Test
  void aNightThatIsNotEightHoursIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> NightWindow.parse("22:00-07:00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly 8 hours")
        .hasMessageContaining("06:00");
    assertThatThrownBy(() -> NightWindow.of("23:00", "23:00"))
        .hasMessageContaining("exactly 8 hours");
  }

  @Test
  void timesMustBeHhMm() {
    assertThatThrownBy(() -> NightWindow.parse("23-07"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not HH:mm");
    assertThatThrownBy(() -> NightWindow.of("24:00", "08:00")).hasMessageContaining("is not HH:mm");
    assertThatThrownBy(() -> NightWindow.of("9:00", "17:00")).hasMessageContaining("is not HH:mm");
    assertThatThrownBy(() -> NightWindow.parse("23:00")).hasMessageContaining("HH:mm-HH:mm");
    assertThatThrownBy(() -> NightWindow.parse(null)).hasMessageContaining("HH:mm-HH:mm");
  }
}
