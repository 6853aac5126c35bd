package io.envmon.api.readings;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Which AQI standard rates an hour: {@code envmon.aqi.hj633-2026-from} (env {@code
 * ENVMON_AQI_HJ633_2026_FROM}), an ISO-8601 date-time with offset, by default
 * 2026-03-01T00:00+08:00 — the same setting as the stream jobs' (docs/api.md "Configuration").
 */
@Factory
class AqiStandardsFactory {

  @Singleton
  AqiStandardSchedule aqiStandards(@Value("${envmon.aqi.hj633-2026-from:}") String from) {
    return AqiStandardSchedule.parse(from);
  }
}
