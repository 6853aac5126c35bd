package io.envmon.api.imports;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.problem.TooManyRequestsException;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Role;
import io.envmon.api.security.Viewer;
import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPoint;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports of history (issue 17 §2): who may upload what, the upload spooled to disk and its header
 * (CSV) or pack (SenML) checked before it is taken, then queued for {@link ImportRunner}; the
 * status and the refusals of an import. Each upload and each end is audited.
 */
@Singleton
public class ImportService implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);

  /** The first refusals in an import's status; all of them at {@code /imports/{id}/refusals}. */
  static final int REFUSALS_IN_STATUS = 100;

  /** Retry-After of an upload refused because imports are waiting: about one import's start. */
  static final Duration RETRY_QUEUED_AFTER = Duration.ofSeconds(60);

  /** The formats an import takes, by content type. */
  public enum Format {
    CSV("text/csv"),
    SENML("application/senml+json");

    public final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    static Format of(String contentType) {
      String type = contentType == null ? "" : contentType.split(";")[0].trim();
      for (Format format : values()) {
        if (format.contentType.equalsIgnoreCase(type)) {
          return format;
        }
      }
      throw new HttpStatusException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "an import is text/csv or application/senml+json, not " + type);
    }
  }

  private final ImportRepository imports;
  private final ImportRefusalRepository refusals;
  private final ImportRunner runner;
  private final PointService points;
  private final CityRepository cities;
  private final AuditRepository audit;
  private final ImportConfiguration configuration;
  private final Clock clock;
  private final Path spool;
  private final String replica;

  public ImportService(
      ImportRepository imports,
      ImportRefusalRepository refusals,
      ImportRunner runner,
      PointService points,
      CityRepository cities,
      AuditRepository audit,
      ImportConfiguration configuration,
      Clock clock) {
    this.imports = imports;
    this.refusals = refusals;
    this.runner = runner;
    this.points = points;
    this.cities = cities;
    this.audit = audit;
    this.configuration = configuration;
    this.clock = clock;
    this.spool =
        configuration.spoolDir().isBlank()
            ? Path.of(System.getProperty("java.io.tmpdir"), "envmon-imports")
            : Path.of(configuration.spoolDir());
    this.replica = configuration.replica().isBlank() ? hostName() : configuration.replica();
  }

  /**
   * At start: this replica's imports a stop interrupted run again from their spool file (an import
   * is idempotent: its reading ids are the file's lines, so readings already taken are overwritten,
   * not doubled); those whose file is gone are FAILED; spool files of no unfinished import are
   * deleted.
   */
  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    List<ImportRow> unfinished =
        imports.findByReplicaAndStatusInList(replica, List.of("QUEUED", "RUNNING"));
    Set<String> anyReplicaUnfinished = new HashSet<>();
    for (ImportRow row : imports.findByStatusInList(List.of("QUEUED", "RUNNING"))) {
      anyReplicaUnfinished.add(row.id());
    }
    Restart restart =
        Restart.of(
            unfinished, anyReplicaUnfinished, spooledBefore(processStart()), this::spoolFile);
    for (ImportRow row : restart.resubmit()) {
      refusals.deleteByImportId(row.id()); // the run lists them again
      runner.submit(row, spoolFile(row.id()));
      LOG.warn(
          "import {} of city {} was interrupted by a stop: queued again", row.id(), row.cityId());
    }
    for (ImportRow row : restart.lost()) {
      imports.finish(
          row.id(),
          "FAILED",
          "the API stopped before the import ended and its uploaded file is gone; upload the file"
              + " again (an import is idempotent: readings already taken are overwritten, not"
              + " doubled)",
          clock.instant());
      LOG.warn(
          "import {} of city {} was interrupted and its file is gone: FAILED",
          row.id(),
          row.cityId());
    }
    for (Path orphan : restart.orphans()) {
      LOG.info("deleting the upload {}, of no unfinished import", orphan);
      ImportRunner.deleteQuietly(orphan);
    }
  }

  /**
   * What start-up does: this replica's unfinished imports whose spool file is there run again, the
   * others are lost; a spool file of no unfinished import (of any replica) is an orphan.
   */
  record Restart(List<ImportRow> resubmit, List<ImportRow> lost, List<Path> orphans) {
    static Restart of(
        List<ImportRow> unfinished,
        Set<String> anyReplicaUnfinished,
        Set<Path> spooled,
        Function<String, Path> fileOf) {
      List<ImportRow> resubmit = new ArrayList<>();
      List<ImportRow> lost = new ArrayList<>();
      for (ImportRow row :
          unfinished.stream().sorted(Comparator.comparing(ImportRow::createdAt)).toList()) {
        (spooled.contains(fileOf.apply(row.id())) ? resubmit : lost).add(row);
      }
      List<Path> orphans = new ArrayList<>();
      for (Path file : spooled) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".upload".length());
        if (!anyReplicaUnfinished.contains(id) || !fileOf.apply(id).equals(file)) {
          orphans.add(file);
        }
      }
      orphans.sort(Comparator.naturalOrder());
      return new Restart(resubmit, lost, orphans);
    }
  }

  /**
   * The spool's {@code *.upload} files last written before {@code before} (not one being received).
   */
  private Set<Path> spooledBefore(Instant before) {
    if (!Files.isDirectory(spool)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(spool)) {
      Set<Path> spooled = new HashSet<>();
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".upload")
            && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
          spooled.add(file);
        }
      }
      return spooled;
    } catch (IOException e) {
      LOG.warn("could not list the import spool {}: {}", spool, e.getMessage());
      return Set.of();
    }
  }

  private static Instant processStart() {
    return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  /** An upload being received: where it goes and how large it may be. */
  public record Upload(
      String id,
      String cityId,
      MonitoringPoint point,
      Format format,
      long maxBytes,
      Path file,
      String username) {

    /** 413 naming the limit and the setting. */
    public HttpStatusException tooLarge() {
      return new HttpStatusException(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "a "
              + format.name()
              + " import takes at most "
              + maxBytes
              + " bytes (envmon.imports."
              + (format == Format.SENML ? "max-senml-bytes" : "max-file-bytes")
              + "); split the file"
              + (format == Format.SENML ? " or send it as CSV" : ""));
    }
  }

  /**
   * Checks who uploads what before the body is read: the coordinator for any city, a bureau user
   * for its own city's points only; for a city ({@code city}) or one of its points ({@code point}).
   * The body is then written to {@link Upload#file()} and handed to {@link #take}.
   */
  public Upload begin(
      Viewer viewer, String city, String point, String contentType, Long contentLength) {
    Format format = Format.of(contentType);
    MonitoringPoint forPoint = null;
    if (point != null) {
      forPoint = points.visiblePoint(viewer, point); // 404 alike for absent and not visible
    }
    if (!viewer.isCoordinator() && viewer.role() != Role.BUREAU) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "only the coordinator or a city's bureau imports readings");
    }
    if (forPoint != null) {
      if (city != null && !city.equals(forPoint.cityId())) {
        throw InvalidRequestException.field(
            "point", point + " is a point of " + forPoint.cityId() + ", not of " + city);
      }
    }
    String cityId =
        forPoint != null ? forPoint.cityId() : city != null ? city : viewer.cityId().orElse(null);
    if (cityId == null) {
      throw InvalidRequestException.field("city", "name the city (or the point) of the import");
    }
    if (!viewer.mayManagePointsOf(cityId)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "only the coordinator or a bureau user of "
              + cityId
              + " imports its readings"
              + (forPoint == null ? "" : " (" + forPoint.id() + " is a point of " + cityId + ")"));
    }
    if (cities.findById(cityId).isEmpty()) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no city " + cityId);
    }
    if (runner.waiting() >= configuration.maxQueued()) {
      throw new TooManyRequestsException(
          "this API instance already has "
              + runner.waiting()
              + " imports waiting for their turn (envmon.imports.max-queued); upload the file"
              + " again once one has started (GET /api/v1/imports shows their status)",
          RETRY_QUEUED_AFTER);
    }
    long limit =
        format == Format.SENML ? configuration.maxSenmlBytes() : configuration.maxFileBytes();
    String id = UUID.randomUUID().toString();
    Upload upload =
        new Upload(id, cityId, forPoint, format, limit, spoolFile(id), viewer.username());
    if (contentLength != null && contentLength > limit) {
      throw upload.tooLarge();
    }
    return upload;
  }

  /**
   * Takes a received upload of {@code bytes}: checks its header (CSV) or pack (SenML), records it
   * QUEUED, audits it and queues it. The file is deleted if the upload is refused.
   */
  public ImportRow take(Upload upload, long bytes) {
    try {
      if (bytes == 0) {
        throw InvalidRequestException.field("body", "the file is empty");
      }
      check(upload.file(), upload.format(), upload.point() == null ? null : upload.point().id());
    } catch (RuntimeException e) {
      discard(upload);
      throw e;
    }
    Instant now = clock.instant();
    String pointId = upload.point() == null ? null : upload.point().id();
    ImportRow job =
        imports.save(
            new ImportRow(
                upload.id(),
                upload.cityId(),
                pointId,
                upload.format().name(),
                "QUEUED",
                bytes,
                0,
                0,
                0,
                0,
                0,
                0,
                null,
                null,
                null,
                now,
                upload.username(),
                replica,
                null,
                null));
    audit.save(
        new AuditRow(
            null,
            now,
            upload.username(),
            "import.upload",
            "import:" + upload.id(),
            "city "
                + upload.cityId()
                + (pointId == null ? "" : ", point " + pointId)
                + ", "
                + upload.format().name()
                + ", "
                + bytes
                + " bytes"));
    runner.submit(job, upload.file());
    LOG.info(
        "import {} of city {} queued: {} {} bytes from {}",
        upload.id(),
        upload.cityId(),
        upload.format().name(),
        bytes,
        upload.username());
    return job;
  }

  /** Deletes the file of an upload that was not taken. */
  public void discard(Upload upload) {
    ImportRunner.deleteQuietly(upload.file());
  }

  /** The import with its first refusals; 404 for an import the viewer may not see. */
  public ImportView status(Viewer viewer, String id) {
    ImportRow row = visible(viewer, id);
    return ImportView.of(row, refusals.findFirst(id, REFUSALS_IN_STATUS));
  }

  /** Every refusal of the import. */
  public List<ImportRefusalRow> refusals(Viewer viewer, String id) {
    visible(viewer, id);
    return refusals.findByImportIdOrderById(id);
  }

  /** The imports of the viewer's city (the coordinator: of every city, or of {@code city}). */
  public List<ImportView> list(Viewer viewer, String city) {
    if (!viewer.isCoordinator() && viewer.role() != Role.BUREAU) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "only the coordinator or a city's bureau imports readings");
    }
    String cityId = viewer.isCoordinator() ? city : viewer.cityId().orElse("");
    if (!viewer.isCoordinator() && city != null && !city.equals(cityId)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "the imports of " + city + " are its bureau's");
    }
    List<ImportRow> rows =
        cityId == null
            ? imports.findAllOrderByCreatedAtDesc()
            : imports.findByCityIdOrderByCreatedAtDesc(cityId);
    return rows.stream().map(row -> ImportView.of(row, null)).toList();
  }

  private ImportRow visible(Viewer viewer, String id) {
    return imports
        .findById(id)
        .filter(row -> viewer.mayManagePointsOf(row.cityId()))
        .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no import " + id));
  }

  /** This instance's name in {@code import_job.replica}. */
  String replica() {
    return replica;
  }

  /** Where the upload of import {@code id} is spooled. */
  Path spoolFile(String id) {
    try {
      Files.createDirectories(spool);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the import spool " + spool, e);
    }
    return spool.resolve(id + ".upload");
  }

  /** 400 naming what is wrong when the header (CSV) or the pack (SenML) cannot be read. */
  private void check(Path file, Format format, String forPoint) {
    try {
      if (format == Format.CSV) {
        try (Reader reader = CsvRecords.utf8(Files.newInputStream(file))) {
          new CsvReadings(reader, forPoint);
        }
      } else {
        SenmlReadings.read(Files.readAllBytes(file), forPoint, clock);
      }
    } catch (CsvReadings.HeaderException e) {
      throw InvalidRequestException.field(
          e.column.isEmpty() ? "header" : "header: " + e.column, e.getMessage());
    } catch (CsvRecords.NotUtf8Exception e) {
      throw InvalidRequestException.field("body", e.getMessage());
    } catch (CsvRecords.CsvException e) {
      throw InvalidRequestException.field("header", e.getMessage());
    } catch (DecodeException e) {
      throw InvalidRequestException.field(
          "body", "not a SenML JSON pack: " + e.reason() + " at " + e.location());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the upload", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
