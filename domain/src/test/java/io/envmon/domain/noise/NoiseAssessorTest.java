package io.envmon.domain.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.envmon.domain.point.NoiseZone;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Environmental noise per GB 3096-2008")
class NoiseAssessorTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void levelsAverageByTheirEnergyNotTheirDecibels() {
    // Two equal levels average to themselves; 60 and 70 dB(A) to 67.4, not 65: the louder hour
    // carries ten times the energy.
    assertThat(NoiseAssessor.energyMeanDbA(List.of(55.0, 55.0))).isCloseTo(55.0, within(1e-9));
    assertThat(NoiseAssessor.energyMeanDbA(List.of(60.0, 70.0))).isCloseTo(67.40, within(0.01));
    assertThatThrownBy(() -> NoiseAssessor.energyMeanDbA(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twentyTwoHundredLocalIsNightButOneMinuteBeforeIsDay() {
    // 22:00 in Shanghai is 14:00 UTC.
    assertThat(NoisePeriod.at(Instant.parse("2025-11-21T14:00:00Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.NIGHT);
    assertThat(NoisePeriod.at(Instant.parse("2025-11-21T13:59:00Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.DAY);
  }

  @Test
  void sixHundredLocalIsDayAgain() {
    assertThat(NoisePeriod.at(Instant.parse("2025-11-20T22:00:00Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.DAY);
    assertThat(NoisePeriod.at(Instant.parse("2025-11-20T21:59:59Z"), SHANGHAI))
        .isEqualTo(NoisePeriod.NIGHT);
  }

  @Test
  void theSameInstantIsReadInTheCitysTimeZone() {
    Instant utcAfternoon = Instant.parse("2025-11-21T14:00:00Z"); // 23:00 in Tokyo
    assertThat(NoisePeriod.at(utcAfternoon, ZoneId.of("UTC"))).isEqualTo(NoisePeriod.DAY);
    assertThat(NoisePeriod.at(utcAfternoon, ZoneId.of("Asia/Tokyo"))).isEqualTo(NoisePeriod.NIGHT);
  }

  @Test
  void zoneLimitsAreThoseOfTableOne() {
    assertThat(NoiseAssessor.limitDbA(NoiseZone.Z0, NoisePeriod.DAY)).isEqualTo(50);
    assertThat(NoiseAssessor.limitDbA(NoiseZone.Z1, NoisePeriod.NIGHT)).isEqualTo(45);
    assertThat(NoiseAssessor.limitDbA(NoiseZone.Z4A, NoisePeriod.NIGHT)).isEqualTo(55);
    assertThat(NoiseAssessor.limitDbA(NoiseZone.Z4B, NoisePeriod.NIGHT)).isEqualTo(60);
    assertThat(NoiseAssessor.limitDbA(NoiseZone.Z4B, NoisePeriod.DAY)).isEqualTo(70);
  }

  @Test
  void leqAboveTheNightLimitExceedsByTheDifference() {
    NoiseAssessment night =
        NoiseAssessor.assess(NoiseZone.Z2, 53.5, Instant.parse("2025-11-21T14:00:00Z"), SHANGHAI);
    assertThat(night.period()).isEqualTo(NoisePeriod.NIGHT);
    assertThat(night.limitDbA()).isEqualTo(50);
    assertThat(night.exceedanceDbA()).isEqualTo(3.5);
    assertThat(night.compliant()).isFalse();
  }

  @Test
  void theSameLeqByDayComplies() {
    NoiseAssessment day =
        NoiseAssessor.assess(NoiseZone.Z2, 53.5, Instant.parse("2025-11-21T13:59:00Z"), SHANGHAI);
    assertThat(day.limitDbA()).isEqualTo(60);
    assertThat(day.exceedanceDbA()).isZero();
    assertThat(day.compliant()).isTrue();
  }

  @Test
  void nightLmaxAllowanceIsTenDbForFrequentAndFifteenForSuddenNoise() {
    assertThat(NoiseAssessor.nightLmaxWithinAllowance(NoiseZone.Z4A, 65, false)).isTrue();
    assertThat(NoiseAssessor.nightLmaxWithinAllowance(NoiseZone.Z4A, 65.5, false)).isFalse();
    assertThat(NoiseAssessor.nightLmaxWithinAllowance(NoiseZone.Z4A, 70, true)).isTrue();
    assertThat(NoiseAssessor.nightLmaxWithinAllowance(NoiseZone.Z4A, 70.1, true)).isFalse();
  }

  @Test
  void impossibleLevelsAreRefused() {
    assertThatThrownBy(() -> NoiseAssessor.assess(NoiseZone.Z1, 250, Instant.EPOCH, SHANGHAI))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0–200");
  }

  @Test
  void zonesParseFromTheirContractCodes() {
    assertThat(NoiseZone.parse("4a")).contains(NoiseZone.Z4A);
    assertThat(NoiseZone.parse("4b")).contains(NoiseZone.Z4B);
    assertThat(NoiseZone.parse("4")).isEmpty();
  }
}
