package io.envmon.jobs;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.jobs.alert.AlertSettings;
import io.envmon.jobs.ingest.ArrivalClock;
import io.envmon.jobs.ratio.RatioSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Configuration of the stream jobs, from system properties ({@code -Denvmon.kafka.bootstrap=…}) or
 * the environment ({@code ENVMON_KAFKA_BOOTSTRAP=…}); docs/stream-jobs.md lists every key.
 */
public record StreamJobsSettings(
    String kafkaBootstrap,
    String consumerGroup,
    String influxUrl,
    String influxDatabase,
    String checkpointDir,
    Duration checkpointInterval,
    boolean stateChangelog,
    String restoreFrom,
    boolean exactlyOnce,
    int parallelism,
    Duration arrivalAllowance,
    Duration quietAfter,
    Duration startupGrace,
    Duration settle,
    Duration latenessHorizon,
    Duration delayedAfter,
    String clusterId,
    List<String> cityIds,
    int aqiRaiseAbove,
    int aqiEscalateAbove,
    int raiseAfter,
    int clearAfter,
    int stuckRepeats,
    Duration registryCatchUpTimeout,
    Clock platformClock,
    AqiStandardSchedule aqiStandards) {

  /** Reads {@code key} (dotted) from the properties, else its ENV_NAME from the environment. */
  public static StreamJobsSettings from(Properties properties, Map<String, String> environment) {
    Function<String, String> get =
        key -> {
          String value = properties.getProperty(key);
          if (value == null) {
            value = environment.get(environmentName(key));
          }
          return value == null || value.isBlank() ? null : value.trim();
        };
    refuseRetired(get);
    String var = orDefault(get.apply("envmon.var"), "var");
    return new StreamJobsSettings(
        orDefault(get.apply("envmon.kafka.bootstrap"), "127.0.0.1:29092"),
        orDefault(get.apply("envmon.kafka.group"), "envmon-stream-jobs"),
        orDefault(get.apply("envmon.influx.url"), "http://127.0.0.1:28086"),
        orDefault(get.apply("envmon.influx.database"), "envmon"),
        orDefault(
            get.apply("envmon.checkpoint.dir"),
            Path.of(var, "flink-checkpoints").toAbsolutePath().toUri().toString()),
        // Alerts reach their readers when the checkpoint after them commits (docs/alerts.md,
        // "Only committed alerts are announced"): short enough for the 1 s reading-to-alert target.
        duration(get, "envmon.checkpoint.interval", "PT0.5S"),
        bool(get, "envmon.state.changelog", "true"),
        get.apply("envmon.restore-from"),
        bool(get, "envmon.exactly-once", "true"),
        integer(get, "envmon.parallelism", "2"),
        duration(get, "envmon.time.arrival-allowance", "PT10S"),
        duration(get, "envmon.time.quiet-after", "PT2S"),
        duration(get, "envmon.time.startup-grace", "PT30S"),
        duration(get, "envmon.time.settle", "PT30S"),
        duration(get, "envmon.lateness-horizon", "P7D"),
        duration(get, "envmon.alert.delayed-after", "PT10M"),
        orDefault(get.apply("envmon.cluster.id"), "cluster"),
        list(get.apply("envmon.cities")),
        integer(get, "envmon.alert.aqi-raise-above", "200"),
        integer(get, "envmon.alert.aqi-escalate-above", "300"),
        integer(get, "envmon.alert.raise-after", "1"),
        integer(get, "envmon.alert.clear-after", "1"),
        integer(get, "envmon.alert.stuck-repeats", "6"),
        duration(get, "envmon.registry.catch-up-timeout", "PT30S"),
        Clock.systemUTC(),
        AqiStandardSchedule.parse(get.apply("envmon.aqi.hj633-2026-from")));
  }

  public AlertSettings alertSettings() {
    AlertSettings defaults = AlertSettings.defaults(cityIds);
    return new AlertSettings(
        aqiRaiseAbove,
        aqiEscalateAbove,
        raiseAfter,
        clearAfter,
        stuckRepeats,
        defaults.airFreshnessMillis(),
        defaults.waterFreshnessMillis(),
        defaults.noiseFreshnessMillis(),
        cityIds,
        settle.toMillis(),
        latenessHorizon.toMillis(),
        delayedAfter.toMillis(),
        aqiStandards.hj633of2026From().toEpochMilli());
  }

  public RatioSettings ratioSettings() {
    RatioSettings defaults = RatioSettings.defaults(clusterId, cityIds);
    return new RatioSettings(
        clusterId,
        cityIds,
        defaults.airFreshnessMillis(),
        defaults.waterFreshnessMillis(),
        defaults.noiseFreshnessMillis(),
        settle.toMillis(),
        latenessHorizon.toMillis());
  }

  /** The platform clock the readings' watermarks follow. */
  public ArrivalClock arrivalClock() {
    return new ArrivalClock(arrivalAllowance, quietAfter, startupGrace, platformClock);
  }

  /**
   * The same settings on another platform clock (a test's scaled clock; the system's UTC clock by
   * default).
   */
  public StreamJobsSettings withPlatformClock(Clock clock) {
    return new StreamJobsSettings(
        kafkaBootstrap,
        consumerGroup,
        influxUrl,
        influxDatabase,
        checkpointDir,
        checkpointInterval,
        stateChangelog,
        restoreFrom,
        exactlyOnce,
        parallelism,
        arrivalAllowance,
        quietAfter,
        startupGrace,
        settle,
        latenessHorizon,
        delayedAfter,
        clusterId,
        cityIds,
        aqiRaiseAbove,
        aqiEscalateAbove,
        raiseAfter,
        clearAfter,
        stuckRepeats,
        registryCatchUpTimeout,
        clock,
        aqiStandards);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static Duration duration(Function<String, String> get, String key, String fallback) {
    String text = orDefault(get.apply(key), fallback);
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(key, text, "an ISO-8601 duration such as PT30S or P7D");
    }
  }

  private static int integer(Function<String, String> get, String key, String fallback) {
    String text = orDefault(get.apply(key), fallback);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid(key, text, "a whole number");
    }
  }

  private static boolean bool(Function<String, String> get, String key, String fallback) {
    String text = orDefault(get.apply(key), fallback);
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, text, "true or false");
    };
  }

  /** {@code envmon.time.quiet-after} → {@code ENVMON_TIME_QUIET_AFTER}. */
  private static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A setting that cannot be read, named with its environment variable and what it must be. */
  private static IllegalArgumentException invalid(String key, String text, String expected) {
    return new IllegalArgumentException(
        key + " (" + environmentName(key) + ") is '" + text + "'; it must be " + expected);
  }

  private static List<String> list(String text) {
    return text == null
        ? List.of()
        : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Settings earlier versions read and this one does not: a city's time zone and night window come
   * from the registry now (each point's record on {@code envmon.points.v1} carries its city's).
   *
   * @throws IllegalArgumentException naming the setting and where the value belongs now
   */
  private static void refuseRetired(Function<String, String> get) {
    for (String key : List.of("envmon.city-zones", "envmon.city-night")) {
      if (get.apply(key) != null) {
        throw new IllegalArgumentException(
            key
                + " is no longer read: a city's time zone and night window come from the registry"
                + " (timeZone, nightStart and nightEnd of PUT /api/v1/cities/{id}); remove the"
                + " setting");
      }
    }
  }
}
