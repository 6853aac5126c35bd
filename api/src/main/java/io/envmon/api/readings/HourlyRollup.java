package io.envmon.api.readings;

import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.wire.LineProtocol;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes and stores the hourly aggregates of the readings ({@link ReadingStore#HOURLY} in {@code
 * forever}) from the raw ones with InfluxQL {@code SELECT ... INTO}: every sweep the hours since
 * the last sweep less {@code sweep-window}, then each hour a late reading marked {@link
 * ReadingStore#PENDING}. Sets the database up (retention policies) at start. Each API replica
 * sweeps; the result is the same whoever computes it. docs/infrastructure.md, "Retention".
 */
@Singleton
public class HourlyRollup implements ApplicationEventListener<StartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(HourlyRollup.class);

  /** One {@code SELECT ... INTO} covers at most this much time (bounded work per statement). */
  static final Duration CHUNK = Duration.ofDays(7);

  /** More marks than this wait for the next sweep. */
  private static final int PENDING_BATCH = 10_000;

  private static final Duration ONE_HOUR = Duration.ofHours(1);

  /** Pending hours this close together are computed as one range. */
  private static final Duration JOIN_GAP = Duration.ofHours(6);

  private final InfluxReader influx;
  private final RetentionConfiguration retention;
  private final Clock clock;

  public HourlyRollup(InfluxReader influx, RetentionConfiguration retention, Clock clock) {
    this.influx = influx;
    this.retention = retention;
    this.clock = clock;
  }

  private volatile boolean setUp;

  /** InfluxDB not answering at start does not stop the API: each sweep tries again first. */
  @Override
  public void onApplicationEvent(StartupEvent event) {
    try {
      setUp();
    } catch (RuntimeException e) {
      log.warn("Setting up InfluxDB's retention policies failed, will retry: {}", e.toString());
    }
  }

  /** The database, its retention policies and {@code raw}'s configured duration. */
  public void setUp() {
    ReadingStore.setUp(influx.database(), Optional.of(retention.raw()), influx::execute);
    setUp = true;
  }

  @Scheduled(
      fixedDelay = "${envmon.retention.sweep-interval:1m}",
      initialDelay = "${envmon.retention.sweep-interval:1m}")
  void scheduledSweep() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Rollup sweep failed, will retry: {}", e.toString());
    }
  }

  /**
   * Computes the hours from the last sweep less the window (on a database never swept: from its
   * oldest reading) up to now and the hours late readings marked, and records now as swept. The
   * marks are deleted before their hours are computed, so a reading that arrives meanwhile marks
   * its hour again (mark and reading are written in one batch, in one shard) and the next sweep
   * computes it once more; should computing fail, the marks are written again.
   *
   * @return the instant the stored hours are complete up to (its hour and later come from raw)
   */
  public synchronized Instant sweep() {
    if (!setUp) {
      setUp();
    }
    Instant now = clock.instant();
    List<HourRange> pending = pendingRanges();
    for (HourRange range : pending) {
      check(
          influx.execute(
              "DELETE FROM \""
                  + ReadingStore.PENDING
                  + "\" WHERE time >= "
                  + InfluxReader.nanos(range.from())
                  + " AND time < "
                  + InfluxReader.nanos(range.to())),
          "clearing pending hours");
    }
    List<HourRange> ranges = new ArrayList<>(pending);
    sweptTo()
        .map(swept -> swept.minus(retention.sweepWindow()))
        .or(this::oldestReading)
        .ifPresent(from -> ranges.add(new HourRange(from.truncatedTo(ChronoUnit.HOURS), now)));
    try {
      for (HourRange range : merged(ranges)) {
        compute(range.from(), range.to(), Optional.empty());
      }
    } catch (RuntimeException e) {
      // The marks were deleted above: put them back, or their hours would keep their old values.
      markAgain(pending);
      throw e;
    }
    check(
        influx.write(
            ReadingStore.FOREVER_POLICY,
            new LineProtocol()
                .measurement(ReadingStore.SWEEP)
                .field("swept_to", now.toEpochMilli())
                .field("pending_ranges", (long) pending.size())
                .time(now.toEpochMilli())),
        "recording the sweep");
    if (!pending.isEmpty()) {
      log.info("Rollup: computed again the hours late readings arrived for: {}", pending);
    }
    return now;
  }

  /** [from, to), whole hours. */
  record HourRange(Instant from, Instant to) {}

  /** Marks every hour of {@code ranges} pending again, as a late reading does. */
  private void markAgain(List<HourRange> ranges) {
    LineProtocol marks = new LineProtocol();
    for (HourRange range : ranges) {
      for (Instant hour = range.from(); hour.isBefore(range.to()); hour = hour.plus(ONE_HOUR)) {
        marks
            .measurement(ReadingStore.PENDING)
            .tag("point", "rollup")
            .field("late", true)
            .time(hour.toEpochMilli());
      }
    }
    if (!marks.isEmpty()) {
      influx
          .write(ReadingStore.RAW_POLICY, marks)
          .ifPresent(
              error ->
                  log.error(
                      "Rollup: could not mark {} hours pending again ({}); they keep their stored"
                          + " values until a reading of theirs arrives late again: {}",
                      marks.lines(),
                      ranges,
                      error));
    }
  }

  /**
   * The hours marked by late readings (of any point: computing all points' hour costs little more
   * than one's, and a back-fill of many stations comes as one range), as ranges.
   */
  private List<HourRange> pendingRanges() {
    List<HourRange> hours = new ArrayList<>();
    for (InfluxReader.Row row :
        influx.query(
            "SELECT * FROM \""
                + ReadingStore.RAW_POLICY
                + "\".\""
                + ReadingStore.PENDING
                + "\" LIMIT "
                + PENDING_BATCH,
            Map.of())) {
      hours.add(new HourRange(row.time(), row.time().plus(Duration.ofHours(1))));
    }
    return merged(hours);
  }

  /** Ranges sorted and joined where they overlap or lie less than {@link #JOIN_GAP} apart. */
  static List<HourRange> merged(List<HourRange> ranges) {
    List<HourRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(HourRange::from));
    List<HourRange> merged = new ArrayList<>();
    for (HourRange range : sorted) {
      HourRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !range.from().isAfter(last.to().plus(JOIN_GAP))) {
        merged.set(
            merged.size() - 1,
            new HourRange(last.from(), range.to().isAfter(last.to()) ? range.to() : last.to()));
      } else {
        merged.add(range);
      }
    }
    return merged;
  }

  /** When the last sweep started: the hours before its hour are stored; empty: never swept. */
  public Optional<Instant> sweptTo() {
    List<InfluxReader.Row> rows =
        influx.query(
            "SELECT last(\"swept_to\") AS swept_to FROM \""
                + ReadingStore.FOREVER_POLICY
                + "\".\""
                + ReadingStore.SWEEP
                + "\"",
            Map.of());
    return rows.stream()
        .map(row -> row.columns().get("swept_to"))
        .filter(Number.class::isInstance)
        .map(millis -> Instant.ofEpochMilli(((Number) millis).longValue()))
        .findFirst();
  }

  /**
   * Computes the stored hours of [from, to) again from the raw readings, of one point or all: per
   * parameter, the mean, min, max and count of its valid (flag N) values (the rule of the series'
   * buckets). An hour whose raw readings have expired is left as stored.
   */
  public void compute(Instant from, Instant to, Optional<String> pointId) {
    for (Instant start = from; start.isBefore(to); start = start.plus(CHUNK)) {
      Instant end = start.plus(CHUNK).isBefore(to) ? start.plus(CHUNK) : to;
      for (Parameter parameter : Parameter.values()) {
        check(influx.execute(hourlyInto(parameter, start, end, pointId)), "computing hours");
      }
    }
  }

  private String hourlyInto(
      Parameter parameter, Instant from, Instant to, Optional<String> pointId) {
    return hourlyInto(
        parameter,
        ReadingStore.RAW_READINGS,
        pointId.map(id -> "\"point\" = " + InfluxReader.quoted(id)),
        from,
        to,
        List.of());
  }

  /**
   * The statement that stores the hours of [from, to) of one parameter computed from {@code source}
   * (readings as the jobs write them): per hour and series the mean, min, max and count of its
   * valid (flag N) values, as fields {@code <param>_mean} ... of {@link ReadingStore#HOURLY} in
   * {@code forever}, tagged city, point, kind and {@code extraTags}.
   */
  static String hourlyInto(
      Parameter parameter,
      String source,
      Optional<String> condition,
      Instant from,
      Instant to,
      List<String> extraTags) {
    String field = parameter.canonicalName();
    StringBuilder select = new StringBuilder("SELECT ");
    for (String statistic : List.of("mean", "min", "max", "count")) {
      select.append(statistic.equals("mean") ? "" : ", ");
      select.append(statistic).append("(\"").append(field).append("\") AS \"");
      select.append(field).append('_').append(statistic).append('"');
    }
    StringBuilder groupBy = new StringBuilder(" GROUP BY time(1h), \"city\", \"point\", \"kind\"");
    extraTags.forEach(tag -> groupBy.append(", \"").append(tag).append('"'));
    return select
        + " INTO \""
        + ReadingStore.FOREVER_POLICY
        + "\".\""
        + ReadingStore.HOURLY
        + "\" FROM "
        + source
        + " WHERE \""
        + field
        + "_flag\" = 'N'"
        + condition.map(c -> " AND " + c).orElse("")
        + " AND time >= "
        + InfluxReader.nanos(from)
        + " AND time < "
        + InfluxReader.nanos(to)
        + groupBy
        + " fill(none)";
  }

  private Optional<Instant> oldestReading() {
    return influx
        .query(
            "SELECT * FROM \""
                + ReadingStore.RAW_POLICY
                + "\".\""
                + ReadingStore.READING
                + "\" ORDER BY time ASC LIMIT 1",
            Map.of())
        .stream()
        .map(InfluxReader.Row::time)
        .findFirst();
  }

  private static void check(Optional<String> error, String what) {
    error.ifPresent(
        message -> {
          throw new IllegalStateException("InfluxDB: " + what + " failed: " + message);
        });
  }
}
