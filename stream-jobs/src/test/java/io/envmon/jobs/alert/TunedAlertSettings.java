package io.envmon.jobs.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Alert settings for tests: the defaults with the values a test turns. */
public final class TunedAlertSettings {
  private int aqiRaiseAbove;
  private int raiseAfter;
  private int clearAfter;
  private Duration air;
  private Duration water;
  private Duration noise;
  private Duration settle;
  private Instant hj633of2026From;
  private final AlertSettings defaults;

  private TunedAlertSettings(AlertSettings defaults) {
    this.defaults = defaults;
    aqiRaiseAbove = defaults.aqiRaiseAbove();
    raiseAfter = defaults.raiseAfter();
    clearAfter = defaults.clearAfter();
    air = Duration.ofMillis(defaults.airFreshnessMillis());
    water = Duration.ofMillis(defaults.waterFreshnessMillis());
    noise = Duration.ofMillis(defaults.noiseFreshnessMillis());
    settle = Duration.ofMillis(defaults.settleMillis());
    hj633of2026From = Instant.ofEpochMilli(defaults.aqiHj633of2026FromMillis());
  }

  public static TunedAlertSettings of(List<String> clusterCityIds) {
    return new TunedAlertSettings(AlertSettings.defaults(clusterCityIds));
  }

  public TunedAlertSettings aqiRaiseAbove(int aqi) {
    aqiRaiseAbove = aqi;
    return this;
  }

  public TunedAlertSettings hysteresis(int raise, int clear) {
    raiseAfter = raise;
    clearAfter = clear;
    return this;
  }

  public TunedAlertSettings freshness(
      Duration airWindow, Duration waterWindow, Duration noiseWindow) {
    air = airWindow;
    water = waterWindow;
    noise = noiseWindow;
    return this;
  }

  public TunedAlertSettings settle(Duration time) {
    settle = time;
    return this;
  }

  public TunedAlertSettings hj633of2026From(Instant from) {
    hj633of2026From = from;
    return this;
  }

  public AlertSettings build() {
    return new AlertSettings(
        aqiRaiseAbove,
        defaults.aqiEscalateAbove(),
        raiseAfter,
        clearAfter,
        defaults.stuckRepeats(),
        air.toMillis(),
        water.toMillis(),
        noise.toMillis(),
        defaults.clusterCityIds(),
        settle.toMillis(),
        defaults.latenessHorizonMillis(),
        defaults.delayedAfterMillis(),
        hj633of2026From.toEpochMilli());
  }
}
