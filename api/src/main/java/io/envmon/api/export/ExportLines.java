package io.envmon.api.export;

import io.envmon.api.readings.ReadingSeries;
import io.envmon.api.readings.RecentReading;
import io.envmon.api.web.CsvLine;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an export in one format: CSV (a header row naming each column's unit, one row per
 * reading or bucket, times in the city's offset and in UTC) or NDJSON (one JSON object per reading
 * or bucket).
 */
final class ExportLines {

  private final ReadingsExport.Format format;
  private final List<Parameter> parameters;
  private final boolean buckets;
  private final boolean withReview;
  private final JsonMapper json;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ExportLines(
      ReadingsExport.Format format,
      PointKind kind,
      boolean buckets,
      boolean withReview,
      JsonMapper json) {
    this.format = format;
    this.parameters = RecentReading.parametersOf(kind);
    this.buckets = buckets;
    this.withReview = withReview;
    this.json = json;
  }

  /** The header row (CSV), or nothing (NDJSON). */
  byte[] header() {
    if (format == ReadingsExport.Format.NDJSON) {
      return new byte[0];
    }
    List<String> cells = new ArrayList<>();
    cells.add(buckets ? "start_local" : "time_local");
    cells.add(buckets ? "start_utc" : "time_utc");
    cells.add("city");
    cells.add("point");
    for (Parameter parameter : parameters) {
      String name = parameter.canonicalName();
      String unit = " (" + parameter.unit() + ")";
      if (buckets) {
        cells.addAll(
            List.of(
                name + "_mean" + unit,
                name + "_min" + unit,
                name + "_max" + unit,
                name + "_count"));
      } else {
        cells.add(name + unit);
        cells.add(name + "_flag");
        if (withReview) {
          cells.add(name + "_review");
        }
      }
    }
    if (!buckets) {
      cells.add("source");
    }
    csvLine(cells);
    return take();
  }

  void reading(MonitoringPoint point, ZoneId zone, ReadingSeries.RawReading reading) {
    if (format == ReadingsExport.Format.NDJSON) {
      jsonLine(
          new ExportedReading(
              point.id(),
              point.cityId(),
              reading.time(),
              local(reading.time(), zone),
              reading.values(),
              reading.flags(),
              reading.source(),
              reading.review()));
      return;
    }
    List<String> cells = new ArrayList<>();
    cells.add(local(reading.time(), zone));
    cells.add(reading.time().toString());
    cells.add(point.cityId());
    cells.add(point.id());
    for (Parameter parameter : parameters) {
      String name = parameter.canonicalName();
      Double value = reading.values().get(name);
      cells.add(value == null ? "" : number(value));
      cells.add(value == null ? "" : reading.flags().getOrDefault(name, "N"));
      if (withReview) {
        ReadingSeries.Review review = reading.review() == null ? null : reading.review().get(name);
        cells.add(review == null ? "" : review.verdict() + " " + review.reason());
      }
    }
    cells.add(reading.source() == null ? "" : reading.source());
    csvLine(cells);
  }

  void bucket(MonitoringPoint point, ZoneId zone, ReadingSeries.Bucket bucket) {
    if (format == ReadingsExport.Format.NDJSON) {
      jsonLine(
          new ExportedBucket(
              point.id(),
              point.cityId(),
              bucket.start(),
              local(bucket.start(), zone),
              bucket.values()));
      return;
    }
    List<String> cells = new ArrayList<>();
    cells.add(local(bucket.start(), zone));
    cells.add(bucket.start().toString());
    cells.add(point.cityId());
    cells.add(point.id());
    for (Parameter parameter : parameters) {
      ReadingSeries.Stats stats = bucket.values().get(parameter.canonicalName());
      if (stats == null) {
        cells.addAll(List.of("", "", "", ""));
      } else {
        cells.addAll(
            List.of(
                number(stats.mean()),
                number(stats.min()),
                number(stats.max()),
                Long.toString(stats.count())));
      }
    }
    csvLine(cells);
  }

  /** The lines written since the last call. */
  byte[] take() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }

  private void jsonLine(Object line) {
    try {
      out.write(json.writeValueAsBytes(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
  }

  private void csvLine(List<String> cells) {
    StringBuilder line = new StringBuilder();
    CsvLine.append(line, cells);
    out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The instant in the city's time with its offset, e.g. 2026-01-10T08:01:00+08:00. */
  static String local(Instant time, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atZone(zone));
  }

  /** 35.0 → 35, 0.8 → 0.8. */
  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
