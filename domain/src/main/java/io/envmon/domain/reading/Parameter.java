package io.envmon.domain.reading;

import io.envmon.domain.point.PointKind;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A measured quantity with its canonical name (docs/standards.md "Transport between the parts"),
 * unit, the kind of point that reports it, and its HJ 212-2017 factor code where the standard has
 * one.
 */
public enum Parameter {
  // Air, µg/m³ except CO in mg/m³.
  PM25("pm25", "ug/m3", PointKind.AIR, "a34004"),
  PM10("pm10", "ug/m3", PointKind.AIR, "a34002"),
  SO2("so2", "ug/m3", PointKind.AIR, "a21026"),
  NO2("no2", "ug/m3", PointKind.AIR, "a21004"),
  O3("o3", "ug/m3", PointKind.AIR, "a05024"),
  CO("co", "mg/m3", PointKind.AIR, "a21005"),
  // Surface water, mg/L unless noted.
  PH("ph", "pH", PointKind.WATER, "w01001"),
  DO("do", "mg/L", PointKind.WATER, "w01009"),
  CODMN("codmn", "mg/L", PointKind.WATER, "w01019"),
  COD("cod", "mg/L", PointKind.WATER, "w01018"),
  BOD5("bod5", "mg/L", PointKind.WATER, "w01017"),
  NH3N("nh3n", "mg/L", PointKind.WATER, "w21003"),
  TP("tp", "mg/L", PointKind.WATER, "w21011"),
  TN("tn", "mg/L", PointKind.WATER, "w21001"),
  TEMP("temp", "Cel", PointKind.WATER, "w01010"),
  TURBIDITY("turbidity", "NTU", PointKind.WATER, "w01003"),
  // Environmental noise, dB(A); HJ 212 codes are not used by envmon for noise.
  LEQ("leq", "dB(A)", PointKind.NOISE, null),
  LMAX("lmax", "dB(A)", PointKind.NOISE, null),
  L10("l10", "dB(A)", PointKind.NOISE, null),
  L50("l50", "dB(A)", PointKind.NOISE, null),
  L90("l90", "dB(A)", PointKind.NOISE, null),
  // Meteorological factors at air stations (HJ 212 a01xxx): shown and stored, never in the AQI.
  // Appended last so that the constants before keep their ordinals (readings in the jobs' Flink
  // state).
  AIR_TEMP("air_temp", "Cel", PointKind.AIR, "a01001"),
  RH("rh", "%RH", PointKind.AIR, "a01002"),
  PRESSURE("pressure", "kPa", PointKind.AIR, "a01006"),
  WIND_SPEED("wind_speed", "m/s", PointKind.AIR, "a01007"),
  WIND_DIR("wind_dir", "deg", PointKind.AIR, "a01008");

  private static final Map<String, Parameter> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toMap(Parameter::canonicalName, Function.identity()));
  private static final Map<String, Parameter> BY_FACTOR_CODE =
      Arrays.stream(values())
          .filter(p -> p.hj212FactorCode != null)
          .collect(Collectors.toMap(p -> p.hj212FactorCode, Function.identity()));

  private final String canonicalName;
  private final String unit;
  private final PointKind kind;
  private final String hj212FactorCode;

  Parameter(String canonicalName, String unit, PointKind kind, String hj212FactorCode) {
    this.canonicalName = canonicalName;
    this.unit = unit;
    this.kind = kind;
    this.hj212FactorCode = hj212FactorCode;
  }

  /** The name used on the wire and in storage, e.g. {@code pm25}. */
  public String canonicalName() {
    return canonicalName;
  }

  /** The canonical unit (SenML unit symbol where one exists). */
  public String unit() {
    return unit;
  }

  public PointKind kind() {
    return kind;
  }

  /** The HJ 212-2017 factor code, e.g. {@code a34004} for PM2.5; empty for noise parameters. */
  public Optional<String> hj212FactorCode() {
    return Optional.ofNullable(hj212FactorCode);
  }

  /**
   * Whether this is a meteorological factor of an air station (air temperature, relative humidity,
   * pressure, wind speed and direction): reported beside the pollutants, never rated by the AQI.
   */
  public boolean isMeteorological() {
    return switch (this) {
      case AIR_TEMP, RH, PRESSURE, WIND_SPEED, WIND_DIR -> true;
      default -> false;
    };
  }

  public static Optional<Parameter> byCanonicalName(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }

  public static Optional<Parameter> byHj212FactorCode(String code) {
    return Optional.ofNullable(code == null ? null : BY_FACTOR_CODE.get(code));
  }
}
