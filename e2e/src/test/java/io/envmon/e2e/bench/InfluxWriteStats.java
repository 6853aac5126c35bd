package io.envmon.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.envmon.jobs.persist.ReadingPoints;
import java.time.Duration;
import java.time.Instant;

/**
 * What InfluxDB 1.6's own write counters say about the readings stored, so that {@code ./envmon
 * bench e2e} follows them without a query that scans every reading stored (docs/performance.md "The
 * whole path"). {@code SHOW STATS FOR 'shard'} answers one series per shard, tagged with its
 * database and retention policy, whose {@code writePointsOk} counts the points (lines) it wrote
 * since influxd started, a point written again counted again. 1.6 counts per shard, not per
 * measurement: into {@code raw} the jobs write each reading and, for a late one, a {@code
 * rollup_pending} mark in the same batch ({@link ReadingPoints}), so while every reading is late a
 * reading is {@link #POINTS_PER_LATE_READING} points.
 */
final class InfluxWriteStats {

  static final String QUERY = "SHOW STATS FOR 'shard'";

  /** A late reading and its hour's mark. */
  static final int POINTS_PER_LATE_READING = 2;

  private InfluxWriteStats() {}

  /**
   * The sum of {@code writePointsOk} over the shards of {@code database}'s {@code retentionPolicy}
   * (one per shard group's time range; none before the first write) in the first result of {@link
   * #QUERY}'s answer.
   */
  static long pointsWritten(JsonNode result, String database, String retentionPolicy) {
    if (result.has("error")) {
      throw new IllegalStateException("InfluxDB refused " + QUERY + ": " + result.get("error"));
    }
    long points = 0;
    for (JsonNode series : result.path("series")) {
      JsonNode tags = series.path("tags");
      if (!series.path("name").asText().equals("shard")
          || !tags.path("database").asText().equals(database)
          || !tags.path("retentionPolicy").asText().equals(retentionPolicy)) {
        continue;
      }
      int column = -1;
      JsonNode columns = series.path("columns");
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).asText().equals("writePointsOk")) {
          column = i;
        }
      }
      if (column < 0) {
        throw new IllegalStateException(
            "InfluxDB's shard statistics have no writePointsOk: " + columns);
      }
      points += series.path("values").path(0).path(column).asLong();
    }
    return points;
  }

  /**
   * Whether each of the first {@code sent} readings of the bench's generator (station i's k-th
   * observed at {@code start + k × spacing}, the stations taking turns) was late when written, as
   * {@link ReadingPoints} judges it: observed more than {@link ReadingPoints#LATE_AFTER} before
   * {@code firstWrite}, the earliest any of them can have been written.
   */
  static boolean everyReadingLate(
      Instant start, Duration spacing, int stations, long sent, Instant firstWrite) {
    if (sent == 0) {
      return true;
    }
    Instant newest = start.plus(spacing.multipliedBy((sent - 1) / stations));
    return newest.isBefore(firstWrite.minus(ReadingPoints.LATE_AFTER));
  }
}
