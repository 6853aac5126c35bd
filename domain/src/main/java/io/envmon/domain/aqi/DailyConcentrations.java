package io.envmon.domain.aqi;

/**
 * One day's values for the daily AQI (HJ 633-2012 table 1): 24h means of SO2, NO2, PM10, PM2.5
 * (µg/m³) and CO (mg/m³), the day's largest O3 1h mean and largest O3 8h moving mean (µg/m³). A
 * null value is a pollutant not measured that day.
 */
public record DailyConcentrations(
    Double so2,
    Double no2,
    Double pm10,
    Double co,
    Double pm25,
    Double o3MaxOneHour,
    Double o3MaxEightHour) {}
