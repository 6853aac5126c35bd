package io.envmon.jobs.alert;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.ratio.FreshnessWindows;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the alert rules are tuned by. Hysteresis: {@code raiseAfter} consecutive breaching
 * observations raise an alert, {@code clearAfter} consecutive good ones clear it.
 *
 * @param aqiRaiseAbove hourly AQI above which AIR_QUALITY is raised (docs/alerts.md "The rules":
 *     200)
 * @param aqiEscalateAbove hourly AQI above which it escalates (严重污染: 300)
 * @param stuckRepeats the same value this many times in a row is a stuck sensor
 * @param clusterCityIds the cluster's cities, which regional air episodes are shared with
 * @param settleMillis how long after an hour's end (platform clock) its readings are awaited before
 *     the hour is rated
 * @param latenessHorizonMillis how late a reading may arrive and still be judged (covers a gateway
 *     spool's capacity)
 * @param delayedAfterMillis an event detected more than this after the observation it rests on is
 *     marked delayed
 * @param aqiHj633of2026FromMillis from when (epoch ms, inclusive) an hour is rated by HJ 633-2026
 *     rather than HJ 633-2012 ({@link AqiStandardSchedule}; {@code envmon.aqi.hj633-2026-from})
 */
public record AlertSettings(
    int aqiRaiseAbove,
    int aqiEscalateAbove,
    int raiseAfter,
    int clearAfter,
    int stuckRepeats,
    long airFreshnessMillis,
    long waterFreshnessMillis,
    long noiseFreshnessMillis,
    List<String> clusterCityIds,
    long settleMillis,
    long latenessHorizonMillis,
    long delayedAfterMillis,
    long aqiHj633of2026FromMillis)
    implements Serializable {

  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LATENESS_HORIZON = Duration.ofDays(7);
  public static final Duration DEFAULT_DELAYED_AFTER = Duration.ofMinutes(10);

  public static AlertSettings defaults(List<String> clusterCityIds) {
    FreshnessWindows windows = FreshnessWindows.DEFAULTS;
    return new AlertSettings(
        200,
        300,
        1,
        1,
        6,
        windows.air().toMillis(),
        windows.water().toMillis(),
        windows.noise().toMillis(),
        List.copyOf(clusterCityIds),
        DEFAULT_SETTLE.toMillis(),
        DEFAULT_LATENESS_HORIZON.toMillis(),
        DEFAULT_DELAYED_AFTER.toMillis(),
        AqiStandardSchedule.DEFAULT_HJ_633_2026_FROM.toEpochMilli());
  }

  /** Which AQI standard is in force at an instant. */
  public AqiStandardSchedule aqiStandards() {
    return new AqiStandardSchedule(Instant.ofEpochMilli(aqiHj633of2026FromMillis));
  }

  public Duration freshness(PointKind kind) {
    return Duration.ofMillis(
        switch (kind) {
          case AIR -> airFreshnessMillis;
          case WATER -> waterFreshnessMillis;
          case NOISE -> noiseFreshnessMillis;
        });
  }
}
