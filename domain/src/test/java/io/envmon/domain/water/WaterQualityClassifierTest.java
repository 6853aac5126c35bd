package io.envmon.domain.water;

import static io.envmon.domain.reading.Parameter.BOD5;
import static io.envmon.domain.reading.Parameter.DO;
import static io.envmon.domain.reading.Parameter.NH3N;
import static io.envmon.domain.reading.Parameter.PH;
import static io.envmon.domain.reading.Parameter.TEMP;
import static io.envmon.domain.reading.Parameter.TN;
import static io.envmon.domain.reading.Parameter.TP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.point.WaterBody;
import io.envmon.domain.reading.Parameter;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Surface water classes per GB 3838-2002")
class WaterQualityClassifierTest {

  @ParameterizedTest(name = "{0} = {1} in a river is class {2}")
  @CsvSource({
    "nh3n, 0.15, I",
    "nh3n, 0.16, II",
    "nh3n, 0.5, II",
    "nh3n, 1.0, III",
    "nh3n, 1.5, IV",
    "nh3n, 2.0, V",
    "nh3n, 2.01, WORSE_THAN_V",
    "do, 7.5, I",
    "do, 7.4, II",
    "do, 5, III",
    "do, 3, IV",
    "do, 2, V",
    "do, 1.9, WORSE_THAN_V",
    "codmn, 2, I",
    "codmn, 6, III",
    "codmn, 15, V",
    "codmn, 15.1, WORSE_THAN_V",
    "cod, 15, I",
    "cod, 20, III",
    "cod, 40, V",
    "bod5, 3, I",
    "bod5, 4, III",
    "bod5, 10, V",
    "tp, 0.02, I",
    "tp, 0.2, III",
    "tp, 0.4, V",
    "tp, 0.41, WORSE_THAN_V",
    "ph, 6, I",
    "ph, 9, I",
    "ph, 5.9, WORSE_THAN_V",
    "ph, 9.1, WORSE_THAN_V"
  })
  void itemClassesAtTheTableLimits(String item, double value, WaterClass expected) {
    Parameter parameter = Parameter.byCanonicalName(item).orElseThrow();
    assertThat(WaterQualityClassifier.classify(parameter, value, WaterBody.RIVER))
        .contains(expected);
  }

  @Test
  void totalPhosphorusHasStricterLimitsInLakesAndReservoirs() {
    assertThat(WaterQualityClassifier.classify(TP, 0.05, WaterBody.RIVER)).contains(WaterClass.II);
    assertThat(WaterQualityClassifier.classify(TP, 0.05, WaterBody.LAKE)).contains(WaterClass.III);
    assertThat(WaterQualityClassifier.classify(TP, 0.2, WaterBody.RESERVOIR))
        .contains(WaterClass.V);
  }

  @Test
  void totalNitrogenIsEvaluatedForLakesAndReservoirsOnly() {
    assertThat(WaterQualityClassifier.classify(TN, 5.0, WaterBody.RIVER)).isEmpty();
    assertThat(WaterQualityClassifier.classify(TN, 1.0, WaterBody.LAKE)).contains(WaterClass.III);
  }

  @Test
  void itemsWithoutClassLimitsAreNotEvaluated() {
    assertThat(WaterQualityClassifier.classify(TEMP, 25, WaterBody.RIVER)).isEmpty();
  }

  @Test
  void aSectionTakesTheWorstClassOfItsItems() {
    SectionAssessment section =
        WaterQualityClassifier.assess(
            Map.of(PH, 7.2, DO, 6.5, NH3N, 1.2, TP, 0.15, TN, 4.0), WaterBody.RIVER);

    assertThat(section.sectionClass()).isEqualTo(WaterClass.IV);
    assertThat(section.determiningItems()).containsExactly(NH3N);
    assertThat(section.itemClasses()).doesNotContainKey(TN);
    assertThat(section.compliesWith(WaterClass.III)).isFalse();
    assertThat(section.compliesWith(WaterClass.IV)).isTrue();
    assertThat(section.itemsWorseThan(WaterClass.III)).containsExactly(NH3N);
  }

  @Test
  void aSectionWithPhOutsideSixToNineIsWorseThanV() {
    SectionAssessment section =
        WaterQualityClassifier.assess(Map.of(PH, 5.5, DO, 8.0), WaterBody.RIVER);
    assertThat(section.sectionClass()).isEqualTo(WaterClass.WORSE_THAN_V);
    assertThat(section.sectionClass().label()).isEqualTo("劣V");
  }

  @Test
  void aSectionAtItsTargetComplies() {
    SectionAssessment section =
        WaterQualityClassifier.assess(Map.of(NH3N, 1.0, BOD5, 4.0), WaterBody.RIVER);
    assertThat(section.sectionClass()).isEqualTo(WaterClass.III);
    assertThat(section.compliesWith(WaterClass.III)).isTrue();
  }

  @Test
  void aMeanCarryingFloatNoiseOnALimitBelongsToThatLimitsClass() {
    assertThat(WaterQualityClassifier.classify(TP, 0.1 + 0.2, WaterBody.RIVER))
        .contains(WaterClass.IV);
  }

  @Test
  void waterBelowZeroDegreesIsNotRefused() {
    assertThat(WaterQualityClassifier.classify(TEMP, -0.5, WaterBody.LAKE)).isEmpty();
  }

  @Test
  void impossibleValuesAreRefused() {
    assertThatThrownBy(() -> WaterQualityClassifier.classify(NH3N, -0.1, WaterBody.RIVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nh3n");
    assertThatThrownBy(() -> WaterQualityClassifier.assess(Map.of(TEMP, 20.0), WaterBody.RIVER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classesParseFromTheirLabels() {
    assertThat(WaterClass.parse("III")).contains(WaterClass.III);
    assertThat(WaterClass.parse("劣V")).contains(WaterClass.WORSE_THAN_V);
    assertThat(WaterClass.parse("VI")).isEmpty();
  }
}
