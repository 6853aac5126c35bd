package io.envmon.api.imports;

import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of a CSV file of readings, one reading a row, in the columns of a raw export ({@code GET
 * /export/readings}, so an export imports as it is) or a bureau's own: a time ({@code time_utc},
 * {@code time} or {@code time_local}, ISO-8601 with its offset), {@code point} (unless the import
 * is for one point), and per parameter {@code <p>} or {@code <p> (<unit>)} with an optional {@code
 * <p>_flag}. {@code city}, {@code source} and {@code <p>_review} are read past. The header is
 * checked whole when the file is uploaded ({@link HeaderException}); rows are read one at a time.
 */
final class CsvReadings {

  private static final List<String> TIME_COLUMNS = List.of("time_utc", "time", "time_local");
  private static final List<String> BUCKET_COLUMNS = List.of("start_utc", "start_local");
  private static final List<String> BUCKET_SUFFIXES = List.of("_mean", "_min", "_max", "_count");

  private final CsvRecords records;
  private final String forPoint;
  private final int timeColumn;
  private final int pointColumn;
  private final Map<Parameter, Integer> valueColumns;
  private final Map<Parameter, Integer> flagColumns;
  private final int width;

  /** The header is wrong: nothing of the file is taken (400 at upload). */
  static final class HeaderException extends RuntimeException {
    final String column;

    HeaderException(String column, String message) {
      super(message);
      this.column = column;
    }
  }

  /**
   * Reads and checks the header.
   *
   * @param forPoint the point of a one-point import (its rows need no {@code point} column), or
   *     null
   */
  CsvReadings(Reader in, String forPoint) throws IOException {
    this.records = new CsvRecords(in);
    this.forPoint = forPoint;
    CsvRecords.Line header = records.next();
    if (header == null) {
      throw new HeaderException("", "the file is empty: a header row is needed");
    }
    List<String> names = new ArrayList<>();
    for (String cell : header.cells()) {
      names.add(cell.replace("\uFEFF", "").trim());
    }
    width = names.size();
    Map<Parameter, Integer> values = new LinkedHashMap<>();
    Map<Parameter, Integer> flags = new LinkedHashMap<>();
    int time = -1;
    int timePreference = Integer.MAX_VALUE;
    int point = -1;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int preference = TIME_COLUMNS.indexOf(name);
      if (preference >= 0) {
        if (preference < timePreference) {
          time = i;
          timePreference = preference;
        }
      } else if (name.equals("point")) {
        point = i;
      } else if (name.equals("city") || name.equals("source") || name.endsWith("_review")) {
        continue; // the point's city is the registry's; imported readings are of source IMPORT
      } else if (BUCKET_COLUMNS.contains(name)
          || BUCKET_SUFFIXES.stream().anyMatch(s -> baseName(name).endsWith(s))) {
        throw new HeaderException(
            name,
            "column '"
                + name
                + "' is of an export of 1h or 1d buckets: only raw readings can be imported (export"
                + " with interval=raw)");
      } else if (name.endsWith("_flag")) {
        String parameterName = name.substring(0, name.length() - "_flag".length());
        flags.put(parameter(name, parameterName), i);
      } else {
        Parameter parameter = parameter(name, baseName(name));
        String unit = unitOf(name);
        if (unit != null && !unit.equals(parameter.unit())) {
          throw new HeaderException(
              name,
              "column '"
                  + name
                  + "': the unit of "
                  + parameter.canonicalName()
                  + " is "
                  + parameter.unit()
                  + ", not "
                  + unit
                  + " (values are not converted)");
        }
        if (values.put(parameter, i) != null) {
          throw new HeaderException(name, "column '" + name + "' is given twice");
        }
      }
    }
    if (time < 0) {
      throw new HeaderException(
          "", "no time column: name one time_utc, time or time_local (ISO-8601 with offset)");
    }
    if (point < 0 && forPoint == null) {
      throw new HeaderException(
          "", "no point column: name the point of each row, or import for one point (point=)");
    }
    if (values.isEmpty()) {
      throw new HeaderException(
          "", "no parameter column: name at least one, e.g. pm25 or 'pm25 (ug/m3)'");
    }
    for (Parameter flagged : flags.keySet()) {
      if (!values.containsKey(flagged)) {
        throw new HeaderException(
            flagged.canonicalName() + "_flag",
            "column '" + flagged.canonicalName() + "_flag' has no column of its values");
      }
    }
    this.timeColumn = time;
    this.pointColumn = point;
    this.valueColumns = values;
    this.flagColumns = flags;
  }

  /** The next row, null at the end of the file. */
  FileRow next() throws IOException {
    CsvRecords.Line line = records.next();
    if (line == null) {
      return null;
    }
    List<String> cells = line.cells();
    String pointId = pointColumn >= 0 && pointColumn < cells.size() ? cells.get(pointColumn) : null;
    if (pointId == null || pointId.isBlank()) {
      pointId = forPoint;
    }
    if (cells.size() != width) {
      return unreadable(
          line.number(),
          pointId,
          "",
          "the row has " + cells.size() + " cells, the header " + width);
    }
    if (pointId == null) {
      return unreadable(line.number(), null, "point", "no point");
    }
    if (forPoint != null && !forPoint.equals(pointId)) {
      return unreadable(
          line.number(),
          pointId,
          "point",
          "this import is for point " + forPoint + ", the row is for " + pointId);
    }
    String timeText = cells.get(timeColumn).trim();
    Instant observedAt;
    try {
      observedAt = OffsetDateTime.parse(timeText).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      return unreadable(
          line.number(),
          pointId,
          "t",
          "time '"
              + timeText
              + "' is not an ISO-8601 date-time with its offset (e.g. 2026-01-10T08:01:00+08:00)");
    }
    List<Measurement> measurements = new ArrayList<>();
    List<Refusal> unreadable = new ArrayList<>();
    for (Map.Entry<Parameter, Integer> column : valueColumns.entrySet()) {
      Parameter parameter = column.getKey();
      String name = parameter.canonicalName();
      String text = cells.get(column.getValue()).trim();
      if (text.isEmpty()) {
        continue;
      }
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        unreadable.add(
            new Refusal(RefusalReason.MALFORMED, name, "value '" + text + "' is not a number"));
        continue;
      }
      Integer flagColumn = flagColumns.get(parameter);
      String flagText = flagColumn == null ? "" : cells.get(flagColumn).trim();
      Optional<DataFlag> flag =
          flagText.isEmpty() ? Optional.of(DataFlag.N) : DataFlag.parse(flagText);
      if (flag.isEmpty()) {
        unreadable.add(
            new Refusal(
                RefusalReason.MALFORMED,
                name + "_flag",
                "flag '" + flagText + "' is not an HJ 212 data flag (N, F, M, S, D, C, T, B)"));
        continue;
      }
      measurements.add(new Measurement(parameter, value, flag.get()));
    }
    if (measurements.isEmpty()) {
      if (unreadable.isEmpty()) {
        unreadable.add(new Refusal(RefusalReason.MALFORMED, "", "the row has no value"));
      }
      return new FileRow.Unreadable(line.number(), pointId, unreadable);
    }
    return new FileRow.Parsed(
        line.number(),
        new Reading(
            Reading.idFor(pointId, observedAt), pointId, observedAt, measurements, Source.IMPORT),
        unreadable);
  }

  private static FileRow unreadable(long line, String pointId, String location, String detail) {
    return new FileRow.Unreadable(
        line, pointId, List.of(new Refusal(RefusalReason.MALFORMED, location, detail)));
  }

  private static Parameter parameter(String column, String name) {
    return Parameter.byCanonicalName(name)
        .orElseThrow(
            () ->
                new HeaderException(
                    column,
                    "column '"
                        + column
                        + "' names no parameter envmon knows (e.g. pm25, codmn, leq; see"
                        + " docs/api.md 'Import')"));
  }

  /** "pm25 (ug/m3)" → "pm25". */
  private static String baseName(String column) {
    int paren = column.indexOf(" (");
    return paren < 0 ? column : column.substring(0, paren).trim();
  }

  /** "pm25 (ug/m3)" → "ug/m3", "pm25" → null. */
  private static String unitOf(String column) {
    int paren = column.indexOf(" (");
    if (paren < 0 || !column.endsWith(")")) {
      return null;
    }
    return column.substring(paren + 2, column.length() - 1).trim();
  }
}
