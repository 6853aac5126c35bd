package io.envmon.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointStatus;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.domain.validation.Verdict;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.registry.PointRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingValidatorTest {

  private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
  private final PointRegistry registry = new PointRegistry();
  private final ReadingValidator validator =
      new ReadingValidator("wujiang", registry, Clock.fixed(NOW, ZoneOffset.UTC));

  {
    registry.put(TestPoints.air("wujiang-air-01", "wujiang"));
    registry.put(TestPoints.water("wujiang-water-01", "wujiang"));
    registry.put(TestPoints.noise("wujiang-noise-01", "wujiang"));
    registry.put(TestPoints.air("qingpu-air-01", "qingpu"));
  }

  private static Reading reading(String pointId, Instant at, Measurement... measurements) {
    return new Reading(Reading.idFor(pointId, at), pointId, at, List.of(measurements), Source.MQTT);
  }

  private static Refusal onlyRefusal(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    List<Refusal> refusals = ((Verdict.Refused) verdict).refusals();
    assertThat(refusals).hasSize(1);
    return refusals.get(0);
  }

  private static Refusal leftOut(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    List<Refusal> refusals = ((Verdict.Accepted) verdict).refusals();
    assertThat(refusals).hasSize(1);
    return refusals.get(0);
  }

  @Test
  void aPlausibleReadingOfAKnownPointOfThisCityIsAcceptedWhole() {
    Reading reading =
        reading(
            "wujiang-air-01",
            NOW,
            Measurement.valid(Parameter.PM25, 35.2),
            new Measurement(Parameter.PM10, 80, DataFlag.D));
    Verdict verdict = validator.validate(reading);
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    assertThat(((Verdict.Accepted) verdict).reading()).isEqualTo(reading);
    assertThat(((Verdict.Accepted) verdict).refusals()).isEmpty();
  }

  @Test
  void anUnknownPointIsRefused() {
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-99", NOW, Measurement.valid(Parameter.PM25, 1))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.UNKNOWN_POINT);
    assertThat(refusal.detail())
        .isEqualTo("point 'wujiang-air-99' is not in the registry of city wujiang");
  }

  @Test
  void aPointOfAnotherCityIsRefused() {
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("qingpu-air-01", NOW, Measurement.valid(Parameter.PM25, 1))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.POINT_OF_OTHER_CITY);
    assertThat(refusal.detail())
        .isEqualTo(
            "point 'qingpu-air-01' belongs to city qingpu, this gateway serves city wujiang");
  }

  @Test
  void aDecommissionedPointIsRefusedAndAPlannedOneAccepted() {
    registry.put(
        TestPoints.withStatus(
            TestPoints.air("wujiang-air-07", "wujiang"), PointStatus.DECOMMISSIONED));
    registry.put(
        TestPoints.withStatus(TestPoints.air("wujiang-air-08", "wujiang"), PointStatus.PLANNED));
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-07", NOW, Measurement.valid(Parameter.PM25, 1))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.POINT_DECOMMISSIONED);
    assertThat(refusal.reason().code()).isEqualTo("point_decommissioned");
    assertThat(refusal.detail())
        .isEqualTo("point 'wujiang-air-07' is DECOMMISSIONED; it takes no more readings");
    assertThat(validator.checkPoint("wujiang-air-07")).isInstanceOf(Verdict.Refused.class);
    assertThat(
            validator.validate(
                reading("wujiang-air-08", NOW, Measurement.valid(Parameter.PM25, 1))))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void aParameterOfAnotherKindIsLeftOutAndTheOtherValuesKept() {
    Verdict verdict =
        validator.validate(
            reading(
                "wujiang-water-01",
                NOW,
                Measurement.valid(Parameter.DO, 6.4),
                Measurement.valid(Parameter.PM25, 35)));
    Refusal refusal = leftOut(verdict);
    assertThat(refusal.reason()).isEqualTo(RefusalReason.PARAMETER_NOT_OF_KIND);
    assertThat(refusal.location()).isEqualTo("pm25");
    assertThat(refusal.detail())
        .isEqualTo("pm25 is a AIR parameter; point 'wujiang-water-01' is a WATER point");
    assertThat(((Verdict.Accepted) verdict).reading().measurements())
        .containsExactly(Measurement.valid(Parameter.DO, 6.4));
  }

  @Test
  void aNonFiniteValueIsRefused() {
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-01", NOW, Measurement.valid(Parameter.PM25, Double.NaN))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.NOT_FINITE);
    assertThat(refusal.detail()).isEqualTo("value NaN is not finite");
  }

  @Test
  void aNegativeConcentrationIsImpossible() {
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-01", NOW, Measurement.valid(Parameter.PM25, -3))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
    assertThat(refusal.location()).isEqualTo("pm25");
    assertThat(refusal.detail()).isEqualTo("value -3.0 ug/m3 is outside 0 or more");
  }

  @Test
  void aPhAbove14IsImpossibleButTheOtherWaterValuesAreKept() {
    Refusal refusal =
        leftOut(
            validator.validate(
                reading(
                    "wujiang-water-01",
                    NOW,
                    Measurement.valid(Parameter.PH, 14.5),
                    Measurement.valid(Parameter.DO, 6.4))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
    assertThat(refusal.detail()).isEqualTo("value 14.5 pH is outside 0.0 to 14.0");
  }

  @Test
  void aPhOfExactly0And14IsPossible() {
    assertThat(
            validator.validate(
                reading(
                    "wujiang-water-01",
                    NOW,
                    Measurement.valid(Parameter.PH, 0),
                    Measurement.valid(Parameter.DO, 14))))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void aSoundLevelAbove200DecibelsIsImpossible() {
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-noise-01", NOW, Measurement.valid(Parameter.LEQ, 201))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
    assertThat(refusal.detail()).isEqualTo("value 201.0 dB(A) is outside 0.0 to 200.0");
  }

  @Test
  void meteorologicalFactorsAtAnAirPointAreAcceptedWithinTheirRanges() {
    Verdict verdict =
        validator.validate(
            reading(
                "wujiang-air-01",
                NOW,
                Measurement.valid(Parameter.PM25, 35.2),
                Measurement.valid(Parameter.AIR_TEMP, -12.5),
                Measurement.valid(Parameter.RH, 100),
                Measurement.valid(Parameter.PRESSURE, 101.3),
                Measurement.valid(Parameter.WIND_SPEED, 0),
                Measurement.valid(Parameter.WIND_DIR, 360)));
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    assertThat(((Verdict.Accepted) verdict).refusals()).isEmpty();
  }

  @Test
  void meteorologicalFactorsOutsideTheirRangesAreImpossible() {
    Refusal rh =
        leftOut(
            validator.validate(
                reading(
                    "wujiang-air-01",
                    NOW,
                    Measurement.valid(Parameter.PM25, 35.2),
                    Measurement.valid(Parameter.RH, 120))));
    assertThat(rh.reason()).isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
    assertThat(rh.location()).isEqualTo("rh");
    assertThat(rh.detail()).isEqualTo("value 120.0 %RH is outside 0.0 to 100.0");
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading(
                            "wujiang-air-01", NOW, Measurement.valid(Parameter.PRESSURE, 1013))))
                .detail())
        .isEqualTo("value 1013.0 kPa is outside 50.0 to 110.0");
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading("wujiang-air-01", NOW, Measurement.valid(Parameter.WIND_DIR, 361))))
                .reason())
        .isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading("wujiang-air-01", NOW, Measurement.valid(Parameter.AIR_TEMP, -61))))
                .reason())
        .isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
  }

  @Test
  void meteorologicalFactorsAreAirParametersNotNoiseOnes() {
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading("wujiang-noise-01", NOW, Measurement.valid(Parameter.RH, 60))))
                .reason())
        .isEqualTo(RefusalReason.PARAMETER_NOT_OF_KIND);
  }

  @Test
  void aNegativeSoundLevelIsImpossible() {
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading("wujiang-noise-01", NOW, Measurement.valid(Parameter.LEQ, -1))))
                .reason())
        .isEqualTo(RefusalReason.IMPOSSIBLE_VALUE);
  }

  @Test
  void aTimestampMoreThanFiveMinutesAheadIsRefused() {
    Instant future = NOW.plus(Duration.ofMinutes(5)).plusMillis(1);
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-01", future, Measurement.valid(Parameter.PM25, 1))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.FUTURE_TIMESTAMP);
    assertThat(refusal.detail())
        .isEqualTo(
            "observation time 2026-11-21T08:05:00.001Z is more than 5 min ahead of the gateway"
                + " clock 2026-11-21T08:00:00Z");
  }

  @Test
  void aReadingObservedMoreThanSevenDaysAgoIsRefusedAsTooOld() {
    Instant old = NOW.minus(Duration.ofDays(7)).minusMillis(1);
    Refusal refusal =
        onlyRefusal(
            validator.validate(
                reading("wujiang-air-01", old, Measurement.valid(Parameter.PM25, 35))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.TOO_OLD);
    assertThat(refusal.reason().code()).isEqualTo("too_old");
    assertThat(refusal.location()).isEqualTo("t");
    assertThat(refusal.detail())
        .isEqualTo(
            "observation time 2026-11-14T07:59:59.999Z is more than 7 days before the gateway"
                + " clock 2026-11-21T08:00:00Z: readings older than that are no longer taken"
                + " (validation.max.age)");
  }

  @Test
  void aReadingExactlySevenDaysOldIsAccepted() {
    assertThat(
            validator.validate(
                reading(
                    "wujiang-air-01",
                    NOW.minus(Duration.ofDays(7)),
                    Measurement.valid(Parameter.PM25, 35))))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void theHorizonIsConfigurable() {
    ReadingValidator dayAndAHalf =
        new ReadingValidator(
            "wujiang",
            registry,
            Clock.fixed(NOW, ZoneOffset.UTC),
            ReadingValidator.DEFAULT_MAX_FUTURE_SKEW,
            Duration.ofHours(36));
    Instant at = NOW.minus(Duration.ofHours(36)).minusSeconds(1);
    Refusal refusal =
        onlyRefusal(
            dayAndAHalf.validate(
                reading("wujiang-air-01", at, Measurement.valid(Parameter.PM25, 35))));
    assertThat(refusal.reason()).isEqualTo(RefusalReason.TOO_OLD);
    assertThat(refusal.detail()).contains("is more than 36 h before the gateway clock");
    assertThat(
            dayAndAHalf.validate(
                reading(
                    "wujiang-air-01",
                    NOW.minus(Duration.ofHours(35)),
                    Measurement.valid(Parameter.PM25, 35))))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void aTooOldReadingOfAnUnknownPointIsRefusedForThePoint() {
    assertThat(
            onlyRefusal(
                    validator.validate(
                        reading(
                            "wujiang-air-99",
                            NOW.minus(Duration.ofDays(30)),
                            Measurement.valid(Parameter.PM25, 1))))
                .reason())
        .isEqualTo(RefusalReason.UNKNOWN_POINT);
  }

  @Test
  void aTimestampExactlyFiveMinutesAheadIsAccepted() {
    assertThat(
            validator.validate(
                reading(
                    "wujiang-air-01",
                    NOW.plus(Duration.ofMinutes(5)),
                    Measurement.valid(Parameter.PM25, 1))))
        .isInstanceOf(Verdict.Accepted.class);
  }
}
