package io.envmon.api.imports;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.RecordError;
import io.envmon.domain.senml.ResolvedPack;
import io.envmon.domain.senml.ResolvedRecord;
import io.envmon.domain.senml.SenmlJson;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.senml.SenmlResolver;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a SenML JSON pack (RFC 8428) of readings, decoded by the gateway's own decoder: each
 * record named {@code {pointId}:{parameter}} (with {@code bn} as a gateway takes it), the records
 * of one point and time form a reading. A pack names any of the city's points, or only the point of
 * a one-point import. A row is a reading (its line: the index of its first record) or a record that
 * could not be read (its index, as the gateway names it: "record 2").
 */
final class SenmlReadings {

  private SenmlReadings() {}

  /**
   * Every row of the pack.
   *
   * @throws DecodeException the file is not a SenML JSON pack (400 at upload)
   */
  static List<FileRow> read(byte[] file, String forPoint, Clock clock) throws DecodeException {
    ResolvedPack pack = SenmlResolver.resolve(SenmlJson.decode(file), clock);
    List<FileRow> rows = new ArrayList<>();
    for (RecordError error : pack.errors()) {
      rows.add(unreadable(null, error));
    }
    Map<String, List<ResolvedRecord>> byPoint = new LinkedHashMap<>();
    for (ResolvedRecord record : pack.records()) {
      int separator = record.name().lastIndexOf(':');
      String point =
          forPoint != null ? forPoint : separator < 0 ? "" : record.name().substring(0, separator);
      byPoint.computeIfAbsent(point, p -> new ArrayList<>()).add(record);
    }
    for (Map.Entry<String, List<ResolvedRecord>> group : byPoint.entrySet()) {
      String point = group.getKey().isEmpty() ? "(none)" : group.getKey();
      var decoded =
          SenmlReadingDecoder.toReadings(
              new ResolvedPack(group.getValue(), List.of()), point, Source.IMPORT);
      Map<Instant, Integer> firstRecord = new HashMap<>();
      for (ResolvedRecord record : group.getValue()) {
        firstRecord.putIfAbsent(record.time().truncatedTo(ChronoUnit.MILLIS), record.index());
      }
      int groupFirst = group.getValue().get(0).index();
      for (Reading reading : decoded.readings()) {
        int line =
            firstRecord.getOrDefault(
                reading.observedAt().truncatedTo(ChronoUnit.MILLIS), groupFirst);
        rows.add(new FileRow.Parsed(line, reading, List.of()));
      }
      for (RecordError error : decoded.errors()) {
        rows.add(unreadable(group.getKey().isEmpty() ? null : point, error));
      }
    }
    rows.sort(Comparator.comparingLong(FileRow::line));
    return rows;
  }

  private static FileRow unreadable(String point, RecordError error) {
    return new FileRow.Unreadable(error.index(), point, List.of(error.refusal()));
  }
}
