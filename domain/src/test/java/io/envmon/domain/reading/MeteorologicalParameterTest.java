package io.envmon.domain.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.aqi.AqiCalculator;
import io.envmon.domain.aqi.AqiResult;
import io.envmon.domain.aqi.AqiStandard;
import io.envmon.domain.point.PointKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meteorological factors at air stations (HJ 212 a01001–a01008)")
class MeteorologicalParameterTest {

  private static final List<Parameter> MET =
      List.of(
          Parameter.AIR_TEMP,
          Parameter.RH,
          Parameter.PRESSURE,
          Parameter.WIND_SPEED,
          Parameter.WIND_DIR);

  @Test
  void areAirParametersWithTheirFactorCodesNamesAndUnits() {
    assertThat(MET).allSatisfy(p -> assertThat(p.kind()).isEqualTo(PointKind.AIR));
    assertThat(MET).allSatisfy(p -> assertThat(p.isMeteorological()).isTrue());
    assertThat(MET)
        .extracting(Parameter::canonicalName)
        .containsExactly("air_temp", "rh", "pressure", "wind_speed", "wind_dir");
    assertThat(MET).extracting(Parameter::unit).containsExactly("Cel", "%RH", "kPa", "m/s", "deg");
    assertThat(Parameter.byHj212FactorCode("a01001")).contains(Parameter.AIR_TEMP);
    assertThat(Parameter.byHj212FactorCode("a01002")).contains(Parameter.RH);
    assertThat(Parameter.byHj212FactorCode("a01006")).contains(Parameter.PRESSURE);
    assertThat(Parameter.byHj212FactorCode("a01007")).contains(Parameter.WIND_SPEED);
    assertThat(Parameter.byHj212FactorCode("a01008")).contains(Parameter.WIND_DIR);
    assertThat(Parameter.byCanonicalName("wind_dir")).contains(Parameter.WIND_DIR);
    assertThat(Parameter.PM25.isMeteorological()).isFalse();
    assertThat(Parameter.TEMP.isMeteorological()).isFalse(); // water temperature
  }

  @Test
  void leaveTheAqiUnchanged() {
    Map<Parameter, Double> pollutants =
        Map.of(
            Parameter.PM25, 80.0,
            Parameter.PM10, 120.0,
            Parameter.NO2, 150.0,
            Parameter.SO2, 20.0,
            Parameter.O3, 90.0,
            Parameter.CO, 0.8);
    Map<Parameter, Double> withWeather = new HashMap<>(pollutants);
    withWeather.put(Parameter.AIR_TEMP, -12.5); // below zero: not a concentration
    withWeather.put(Parameter.RH, 95.0);
    withWeather.put(Parameter.PRESSURE, 101.3);
    withWeather.put(Parameter.WIND_SPEED, 3.4);
    withWeather.put(Parameter.WIND_DIR, 270.0);

    for (AqiStandard standard : AqiStandard.values()) {
      AqiResult without = AqiCalculator.hourly(standard, pollutants);
      AqiResult with = AqiCalculator.hourly(standard, withWeather);
      assertThat(with).as("%s", standard).isEqualTo(without);
      assertThat(with.iaqi().keySet()).noneMatch(Parameter::isMeteorological);
      assertThat(with.primaryPollutants()).noneMatch(Parameter::isMeteorological);
    }
  }

  @Test
  void aloneTheyAreNoAqiPollutant() {
    assertThatThrownBy(
            () ->
                AqiCalculator.hourly(
                    AqiStandard.HJ_633_2026, Map.of(Parameter.AIR_TEMP, 20.0, Parameter.RH, 60.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no AQI pollutant");
  }
}
