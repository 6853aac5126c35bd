package io.envmon.api.imports;

import io.envmon.api.readings.ImportedHours;
import io.envmon.api.readings.LatestConfiguration;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.KafkaConfiguration;
import io.envmon.api.registry.PointService;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.domain.validation.Verdict;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs imports one at a time in the background: reads the uploaded file row by row, validates each
 * reading by the gateway's rules ({@link ReadingValidator#forImport}) against the registry as it is
 * when the import starts, and produces the accepted ones to the readings topic at {@code
 * envmon.imports.readings-per-second}, where the stream jobs persist and judge them like any late
 * reading; readings older than the raw readings' retention (which InfluxDB would drop) are stored
 * as hourly aggregates instead ({@link ImportedHours}), counted as {@code hoursOnly}. Progress and
 * counts go to PostgreSQL every {@code progress-interval}; a progress line is logged every 10 s.
 */
@Singleton
public class ImportRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);
  private static final Duration LOG_EVERY = Duration.ofSeconds(10);

  private final ImportRepository imports;
  private final ImportRefusalRepository refusals;
  private final AuditRepository audit;
  private final PointService points;
  private final ImportConfiguration configuration;
  private final KafkaConfiguration kafka;
  private final String readingsTopic;
  private final ImportedHours importedHours;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "envmon-import");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile KafkaProducer<byte[], byte[]> producer;

  public ImportRunner(
      ImportRepository imports,
      ImportRefusalRepository refusals,
      AuditRepository audit,
      PointService points,
      ImportConfiguration configuration,
      KafkaConfiguration kafka,
      LatestConfiguration latest,
      ImportedHours importedHours,
      Clock clock) {
    this.imports = imports;
    this.refusals = refusals;
    this.audit = audit;
    this.points = points;
    this.configuration = configuration;
    this.kafka = kafka;
    this.readingsTopic = latest.topic(); // envmon.readings.v1, the topic the latest view follows
    this.importedHours = importedHours;
    this.clock = clock;
  }

  /** Queues the import of {@code file}; the file is deleted when the import ends. */
  void submit(ImportRow job, Path file) {
    waiting.incrementAndGet();
    worker.execute(
        () -> {
          waiting.decrementAndGet();
          run(job, file);
        });
  }

  /** The imports queued in this instance that have not started yet. */
  int waiting() {
    return waiting.get();
  }

  private void run(ImportRow job, Path file) {
    Instant started = clock.instant();
    imports.markStarted(job.id(), "RUNNING", started);
    Progress progress = new Progress(job, started);
    String status = "DONE";
    String error = null;
    try {
      importRows(job, file, progress);
    } catch (Exception e) {
      status = "FAILED";
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.warn("import {} of city {} failed: {}", job.id(), job.cityId(), error, e);
    } finally {
      deleteQuietly(file);
    }
    progress.write();
    Instant finished = clock.instant();
    imports.finish(job.id(), status, error, finished);
    audit.save(
        new AuditRow(
            null,
            finished,
            job.createdBy(),
            "import." + status.toLowerCase(Locale.ROOT),
            "import:" + job.id(),
            progress.summary() + (error == null ? "" : "; " + error)));
    LOG.info(
        "import {} of city {} {}: {} in {} s",
        job.id(),
        job.cityId(),
        status,
        progress.summary(),
        Duration.between(started, finished).toSeconds());
  }

  private void importRows(ImportRow job, Path file, Progress progress) throws Exception {
    Map<String, MonitoringPoint> registry = points.registryNow();
    ReadingValidator validator =
        ReadingValidator.forImport(
            job.cityId(), id -> Optional.ofNullable(registry.get(id)), clock);
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    KafkaProducer<byte[], byte[]> out = producer();
    Pace pace = new Pace(configuration.readingsPerSecond());
    Instant hoursOnlyBefore = importedHours.cutoff(clock.instant());
    ImportedHours.Staging hoursOnly = importedHours.stage(job.id());
    try (CountingInputStream in = new CountingInputStream(Files.newInputStream(file))) {
      Iterator<FileRow> rows = rows(job, in);
      while (rows.hasNext()) {
        if (sendFailure.get() != null) {
          throw new IllegalStateException(
              "the readings topic refused a reading: " + sendFailure.get().getMessage(),
              sendFailure.get());
        }
        FileRow row = rows.next();
        progress.rowsRead++;
        if (row instanceof FileRow.Unreadable unreadable) {
          progress.refuse(unreadable.line(), unreadable.pointId(), true, unreadable.refusals());
        } else if (row instanceof FileRow.Parsed parsed) {
          Verdict verdict = validator.validate(parsed.reading());
          if (verdict instanceof Verdict.Refused refused) {
            progress.refuse(parsed.line(), parsed.reading().pointId(), true, refused.refusals());
          } else if (verdict instanceof Verdict.Accepted accepted) {
            List<Refusal> leftOut = new ArrayList<>(parsed.unreadable());
            leftOut.addAll(accepted.refusals());
            progress.accept(accepted.reading(), parsed.line(), leftOut);
            pace.await();
            AcceptedReading reading =
                new AcceptedReading(
                    accepted.reading(),
                    accepted.point().cityId(),
                    accepted.point().kind(),
                    "import-" + job.id(),
                    parsed.line(),
                    clock.instant());
            if (reading.reading().observedAt().isBefore(hoursOnlyBefore)) {
              hoursOnly.add(reading);
              progress.hoursOnly++;
            } else {
              out.send(
                  new ProducerRecord<>(
                      readingsTopic,
                      reading.reading().pointId().getBytes(StandardCharsets.UTF_8),
                      AcceptedReadingJson.encode(reading)),
                  (metadata, exception) -> {
                    if (exception != null) {
                      sendFailure.compareAndSet(null, exception);
                    }
                  });
            }
          }
        }
        progress.bytesRead = in.count;
        progress.maybeWrite();
      }
      out.flush();
      if (sendFailure.get() != null) {
        throw new IllegalStateException(
            "the readings topic refused a reading: " + sendFailure.get().getMessage(),
            sendFailure.get());
      }
    } catch (Exception e) {
      // what was read before the failure is imported, as the readings already produced are
      try {
        hoursOnly.finish();
      } catch (RuntimeException notStored) {
        e.addSuppressed(notStored);
      }
      throw e;
    }
    hoursOnly.finish();
    progress.bytesRead = job.fileBytes();
  }

  private Iterator<FileRow> rows(ImportRow job, InputStream in) throws Exception {
    if ("SENML".equals(job.format())) {
      return SenmlReadings.read(in.readAllBytes(), job.pointId(), clock).iterator();
    }
    CsvReadings csv = new CsvReadings(CsvRecords.utf8(in), job.pointId());
    return new Iterator<>() {
      private boolean broken; // not CSV any more from some line on: that line refused, no more read
      private FileRow next = read();

      private FileRow read() {
        try {
          return csv.next();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (CsvRecords.NotUtf8Exception e) {
          throw e; // the import FAILED with the reason: no name read as something it is not
        } catch (CsvRecords.CsvException e) {
          broken = true;
          return new FileRow.Unreadable(
              e.line, null, List.of(new Refusal(RefusalReason.MALFORMED, "", e.getMessage())));
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public FileRow next() {
        FileRow row = next;
        next = broken ? null : read();
        return row;
      }
    };
  }

  /** Counts and refusals of one running import, written to PostgreSQL now and then. */
  private final class Progress {
    final ImportRow job;
    long bytesRead;
    long rowsRead;
    long accepted;
    long refused;
    long valuesRefused;
    long hoursOnly;
    long listed;
    Instant firstObserved;
    Instant lastObserved;
    final List<ImportRefusalRow> pending = new ArrayList<>();
    final Instant started;
    Instant lastWrite;
    Instant lastLog;

    Progress(ImportRow job, Instant started) {
      this.job = job;
      this.started = started;
      this.lastWrite = started;
      this.lastLog = started;
    }

    void accept(Reading reading, long line, List<Refusal> leftOut) {
      accepted++;
      Instant observed = reading.observedAt();
      firstObserved =
          firstObserved == null || observed.isBefore(firstObserved) ? observed : firstObserved;
      lastObserved =
          lastObserved == null || observed.isAfter(lastObserved) ? observed : lastObserved;
      if (!leftOut.isEmpty()) {
        valuesRefused += leftOut.size();
        list(line, reading.pointId(), false, leftOut);
      }
    }

    void refuse(long line, String pointId, boolean wholeRow, List<Refusal> why) {
      refused++;
      list(line, pointId, wholeRow, why);
    }

    private void list(long line, String pointId, boolean wholeRow, List<Refusal> why) {
      for (Refusal refusal : why) {
        if (listed < configuration.maxListedRefusals()) {
          listed++;
          pending.add(
              new ImportRefusalRow(
                  null,
                  job.id(),
                  line,
                  pointId,
                  wholeRow,
                  refusal.reason().code(),
                  refusal.location(),
                  refusal.detail()));
        }
      }
    }

    void maybeWrite() {
      Instant now = clock.instant();
      if (Duration.between(lastWrite, now).compareTo(configuration.progressInterval()) >= 0) {
        write();
        lastWrite = now;
      }
      if (Duration.between(lastLog, now).compareTo(LOG_EVERY) >= 0) {
        lastLog = now;
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        LOG.info(
            "import {} of city {}: {}% of {} bytes, {}, {} readings/s",
            job.id(),
            job.cityId(),
            job.fileBytes() == 0 ? 100 : bytesRead * 100 / job.fileBytes(),
            job.fileBytes(),
            summary(),
            Math.round(accepted / seconds));
      }
    }

    void write() {
      if (!pending.isEmpty()) {
        refusals.saveAll(List.copyOf(pending));
        pending.clear();
      }
      imports.progress(
          job.id(),
          bytesRead,
          rowsRead,
          accepted,
          refused,
          valuesRefused,
          hoursOnly,
          firstObserved,
          lastObserved);
    }

    String summary() {
      return rowsRead
          + " rows: "
          + accepted
          + " accepted, "
          + refused
          + " refused, "
          + valuesRefused
          + " values left out, "
          + hoursOnly
          + " older than the raw retention stored as hourly aggregates only";
    }
  }

  /** Holds the import to {@code perSecond} readings on average. */
  private static final class Pace {
    private final double perSecond;
    private final long startNanos = System.nanoTime();
    private long sent;

    Pace(int perSecond) {
      this.perSecond = perSecond;
    }

    void await() throws InterruptedException {
      sent++;
      long dueNanos = startNanos + (long) (sent / perSecond * 1e9);
      long aheadNanos = dueNanos - System.nanoTime();
      if (aheadNanos > 1_000_000) {
        TimeUnit.NANOSECONDS.sleep(aheadNanos);
      }
    }
  }

  /** Counts the bytes read from the file, for the progress. */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties properties = new Properties();
      properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
      properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
      producer =
          new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /** Deletes an upload's spool file; a file that cannot be deleted is logged, not thrown. */
  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete the upload {}: {}", file, e.getMessage());
    }
  }

  @PreDestroy
  void close() {
    worker.shutdownNow();
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
