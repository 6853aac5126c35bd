package io.envmon.api.readings;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.ReadingStore;
import io.envmon.domain.wire.LineProtocol;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * An import's readings older than the raw readings' retention, which InfluxDB would drop from
 * {@code raw}: they are kept as stored hourly aggregates instead. They are staged in {@code
 * forever} ({@link ReadingStore#IMPORT_STAGING}, tag {@code import}), their hours computed from
 * there into {@link ReadingStore#HOURLY} with tag {@link ReadingStore#ORIGIN} = {@link
 * ReadingStore#ORIGIN_IMPORT} (the rollup's statements and rule), and deleted. A series reads such
 * an hour together with the rollup's hour of the same point (docs/infrastructure.md, "Retention").
 */
@Singleton
public class ImportedHours {

  private static final int BATCH = 5_000;

  private final InfluxReader influx;
  private final RetentionConfiguration retention;

  public ImportedHours(InfluxReader influx, RetentionConfiguration retention) {
    this.influx = influx;
    this.retention = retention;
  }

  /**
   * Readings observed before this instant are kept only as stored hours ({@link
   * RetentionConfiguration#hoursOnlyBefore}: the retention less a day).
   */
  public Instant cutoff(Instant now) {
    return retention.hoursOnlyBefore(now);
  }

  /**
   * The staging of one import; what an earlier run of the same import left staged is deleted first
   * (an import interrupted by a stop runs again from its file).
   */
  public Staging stage(String importId) {
    deleteStaged(importId);
    return new Staging(importId);
  }

  private void deleteStaged(String importId) {
    check(
        influx.execute(
            "DELETE FROM \""
                + ReadingStore.IMPORT_STAGING
                + "\" WHERE \"import\" = "
                + InfluxReader.quoted(importId)),
        "deleting the import's staged readings");
  }

  /** One import's old readings, written in batches; {@link #finish} stores their hours. */
  public final class Staging {
    private final String importId;
    private final LineProtocol buffer = new LineProtocol();
    private Instant first;
    private Instant last;

    private Staging(String importId) {
      this.importId = importId;
    }

    public void add(AcceptedReading accepted) {
      Instant observed = accepted.reading().observedAt();
      first = first == null || observed.isBefore(first) ? observed : first;
      last = last == null || observed.isAfter(last) ? observed : last;
      buffer
          .measurement(ReadingStore.IMPORT_STAGING)
          .tag("city", accepted.cityId())
          .tag("import", importId)
          .tag("kind", accepted.kind().name())
          .tag(ReadingStore.ORIGIN, ReadingStore.ORIGIN_IMPORT)
          .tag("point", accepted.reading().pointId());
      for (Measurement m : accepted.reading().measurements()) {
        String name = m.parameter().canonicalName();
        if (Double.isFinite(m.value())) {
          buffer.field(name, m.value());
        }
        buffer.field(name + "_flag", m.flag().name());
      }
      buffer.time(observed.toEpochMilli());
      if (buffer.lines() >= BATCH) {
        flush();
      }
    }

    private void flush() {
      if (!buffer.isEmpty()) {
        check(influx.write(ReadingStore.FOREVER_POLICY, buffer), "staging imported readings");
        buffer.clear();
      }
    }

    /**
     * Stores the hours of every staged reading (each (point, hour, parameter) this import has
     * values of replaces what an earlier import stored of it; the rollup's hours are kept beside
     * it), then deletes the staged readings.
     */
    public void finish() {
      flush();
      if (first == null) {
        return;
      }
      Instant from = first.truncatedTo(ChronoUnit.HOURS);
      Instant to = last.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      String source =
          "\"" + ReadingStore.FOREVER_POLICY + "\".\"" + ReadingStore.IMPORT_STAGING + "\"";
      for (Instant start = from; start.isBefore(to); start = start.plus(HourlyRollup.CHUNK)) {
        Instant end =
            start.plus(HourlyRollup.CHUNK).isBefore(to) ? start.plus(HourlyRollup.CHUNK) : to;
        for (Parameter parameter : Parameter.values()) {
          check(
              influx.execute(
                  HourlyRollup.hourlyInto(
                      parameter,
                      source,
                      Optional.of("\"import\" = " + InfluxReader.quoted(importId)),
                      start,
                      end,
                      List.of(ReadingStore.ORIGIN))),
              "storing the hours of imported readings");
        }
      }
      deleteStaged(importId);
    }
  }

  private static void check(Optional<String> error, String what) {
    error.ifPresent(
        message -> {
          throw new IllegalStateException("InfluxDB: " + what + " failed: " + message);
        });
  }
}
