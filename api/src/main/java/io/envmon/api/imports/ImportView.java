package io.envmon.api.imports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * An import as the API answers it: where it stands (status, bytes and rows read, percent), what it
 * took and refused, and the first refusals (all of them: {@code GET /imports/{id}/refusals}).
 */
@Serdeable
public record ImportView(
    String id,
    String city,
    @Nullable String point,
    String format,
    String status,
    long fileBytes,
    long bytesRead,
    int percent,
    long rowsRead,
    long accepted,
    long refused,
    long valuesRefused,
    @Schema(
            description =
                "accepted readings older than the raw readings' retention (less a day), kept as"
                    + " stored hourly aggregates only")
        long hoursOnly,
    @Nullable Instant firstObserved,
    @Nullable Instant lastObserved,
    @Nullable String error,
    Instant createdAt,
    String createdBy,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable List<RefusedRow> refusals) {

  /** A refused row ({@code wholeRow}) or a value left out of an accepted row. */
  @Serdeable
  public record RefusedRow(
      long line,
      @Nullable String point,
      boolean wholeRow,
      String reason,
      String location,
      String detail) {
    static RefusedRow of(ImportRefusalRow row) {
      return new RefusedRow(
          row.line(), row.pointId(), row.wholeRow(), row.reason(), row.location(), row.detail());
    }
  }

  static ImportView of(ImportRow row, @Nullable List<ImportRefusalRow> refusals) {
    int percent =
        "DONE".equals(row.status()) || row.fileBytes() == 0
            ? 100
            : (int) Math.min(100, row.bytesRead() * 100 / row.fileBytes());
    return new ImportView(
        row.id(),
        row.cityId(),
        row.pointId(),
        row.format(),
        row.status(),
        row.fileBytes(),
        row.bytesRead(),
        "QUEUED".equals(row.status()) ? 0 : percent,
        row.rowsRead(),
        row.accepted(),
        row.refused(),
        row.valuesRefused(),
        row.hoursOnly(),
        row.firstObserved(),
        row.lastObserved(),
        row.error(),
        row.createdAt(),
        row.createdBy(),
        row.startedAt(),
        row.finishedAt(),
        refusals == null ? null : refusals.stream().map(RefusedRow::of).toList());
  }
}
