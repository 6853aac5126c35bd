package io.envmon.domain.reading;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The layout of the readings database in InfluxDB 1.x, shared by everything that creates it (the
 * stream jobs' sink, the API, the tests and the bench): readings in the retention policy {@code
 * raw} (kept {@link #DEFAULT_RAW_RETENTION} unless the API is configured otherwise), written and
 * read by naming it ({@link #RAW_READINGS}); hourly aggregates in {@code forever} (kept
 * indefinitely). The default policy stays InfluxDB's own infinite {@code autogen}, so whatever is
 * written without naming a policy (sharing ratios, alerts) is kept. docs/infrastructure.md,
 * "Retention".
 */
public final class ReadingStore {

  public static final String RAW_POLICY = "raw";
  public static final String FOREVER_POLICY = "forever";

  /** The readings as the stream jobs write them (tags city, point, kind). */
  public static final String READING = "reading";

  /** The readings as InfluxQL names them in a query: policy and measurement. */
  public static final String RAW_READINGS = "\"" + RAW_POLICY + "\".\"" + READING + "\"";

  /**
   * Per point and hour: {@code <param>_mean, _min, _max, _count} of the valid (flag N) values; the
   * rollup's series have tags city, point, kind; an import's hours older than the raw retention
   * have tag {@link #ORIGIN} = {@link #ORIGIN_IMPORT} besides, and a series read adds both.
   */
  public static final String HOURLY = "reading_1h";

  /** The tag that tells an import's stored hours from the rollup's. */
  public static final String ORIGIN = "origin";

  public static final String ORIGIN_IMPORT = "import";

  /**
   * An import's readings older than the raw retention, in {@code forever} while the import runs
   * (tag {@code import} = its id): their hours are computed from here, then they are deleted.
   */
  public static final String IMPORT_STAGING = "import_staging";

  /**
   * Per point and hour (time = the hour's start, in {@code raw}) a late reading arrived for: the
   * hour whose stored aggregates the API's rollup must compute again.
   */
  public static final String PENDING = "rollup_pending";

  /** Where the rollup has computed every hour up to (field {@code swept_to}, ms). */
  public static final String SWEEP = "rollup_sweep";

  /** 52 weeks: the raw readings of the last year (issue 17 §3). */
  public static final Duration DEFAULT_RAW_RETENTION = Duration.ofDays(364);

  private ReadingStore() {}

  /**
   * Creates the database and its two retention policies if they are missing; with {@code
   * rawRetention} also sets {@code raw}'s duration (the API, which owns that setting). Idempotent.
   *
   * @param influxQl runs one statement against the server, the error message if it failed
   */
  public static void setUp(
      String database,
      Optional<Duration> rawRetention,
      Function<String, Optional<String>> influxQl) {
    String on = " ON \"" + database + "\"";
    check(influxQl.apply("CREATE DATABASE \"" + database + "\""), database);
    String duration = influxDuration(rawRetention.orElse(DEFAULT_RAW_RETENTION));
    // a policy that exists with other settings answers "retention policy conflicts with an
    // existing policy": then it is left as it is, unless a duration was asked for (ALTER below)
    influxQl.apply(
        "CREATE RETENTION POLICY \""
            + RAW_POLICY
            + "\""
            + on
            + " DURATION "
            + duration
            + " REPLICATION 1 SHARD DURATION "
            + shardDuration(rawRetention.orElse(DEFAULT_RAW_RETENTION)));
    influxQl.apply(
        "CREATE RETENTION POLICY \""
            + FOREVER_POLICY
            + "\""
            + on
            + " DURATION INF REPLICATION 1 SHARD DURATION 52w");
    if (rawRetention.isPresent()) {
      check(
          influxQl.apply(
              "ALTER RETENTION POLICY \""
                  + RAW_POLICY
                  + "\""
                  + on
                  + " DURATION "
                  + duration
                  + " SHARD DURATION "
                  + shardDuration(rawRetention.get())),
          database);
    }
  }

  /** Whole hours, as InfluxQL writes a duration; InfluxDB's shortest retention is one hour. */
  public static String influxDuration(Duration duration) {
    if (duration.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          "the raw readings' retention must be at least 1h (InfluxDB's minimum): " + duration);
    }
    return duration.toHours() + "h";
  }

  /** InfluxDB's own choice for a policy of that duration (a shard must not outlive it). */
  static String shardDuration(Duration retention) {
    if (retention.compareTo(Duration.ofDays(2)) < 0) {
      return "1h";
    }
    return retention.compareTo(Duration.ofDays(183)) <= 0 ? "1d" : "1w";
  }

  private static void check(Optional<String> error, String database) {
    error.ifPresent(
        message -> {
          throw new IllegalStateException(
              "InfluxDB: setting up database " + database + " failed: " + message);
        });
  }
}
