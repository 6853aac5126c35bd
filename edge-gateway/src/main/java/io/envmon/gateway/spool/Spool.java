package io.envmon.gateway.spool;

import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable journal of accepted readings (docs/gateway.md "Spool"): {@link Segment}s of
 * {@link RecordFrame records}, each reading with the gateway's next sequence; a segment is deleted
 * once Kafka acknowledged every record in it, and the acknowledged sequence is kept in a {@link
 * CheckpointFile} so a restart resends only what Kafka may not have.
 *
 * <p>Appends are serialised (encoded and written under one lock) and, under {@link
 * FsyncPolicy#EVERY_APPEND}, made durable by {@link GroupCommit}; records are read through {@link
 * SpoolReader}s, concurrently with appends. A reader may read a record whose fsync is still running
 * (as with {@link FsyncPolicy#OPERATING_SYSTEM}): if that fsync fails the device is not
 * acknowledged and sends again, and the reading id lets downstream drop the duplicate.
 */
public final class Spool implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  private static final String CHECKPOINT = "acknowledged";

  /** How often, at most, the acknowledged sequence is written to its file. */
  static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

  /**
   * @param capBytes the most disk the segments may use; beyond it {@code append} answers FULL
   * @param segmentBytes a segment is closed and a new one started beyond this size
   */
  public record Options(Path directory, long capBytes, long segmentBytes, FsyncPolicy fsync) {
    public Options {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(fsync, "fsync");
      if (segmentBytes <= RecordFrame.HEADER_BYTES || capBytes < segmentBytes) {
        throw new IllegalArgumentException(
            "spool cap " + capBytes + " must be at least the segment size " + segmentBytes);
      }
    }

    public static Options defaults(Path directory) {
      return new Options(directory, 1L << 30, 8L << 20, FsyncPolicy.EVERY_APPEND);
    }
  }

  /** What opening the spool found: records kept and bytes of broken tail records dropped. */
  public record Recovery(long records, long droppedBytes, long acknowledgedSequence) {}

  private final Options options;
  private final CheckpointFile checkpoint;
  private final Object checkpointing = new Object();
  private long checkpointed; // the sequence in the checkpoint file; guarded by checkpointing
  private long checkpointedAt = System.nanoTime() - CHECKPOINT_EVERY.toNanos(); // likewise
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final AtomicLong sizeBytes = new AtomicLong();
  private final Recovery recovery;
  private final GroupCommit.ChannelForcer forcer;
  private final GroupCommit groupCommit; // null under FsyncPolicy.OPERATING_SYSTEM
  private volatile Segment active; // the segment being written; replaced under this
  private volatile long nextSequence;
  private volatile long acknowledged;
  private boolean closed; // guarded by this

  private Spool(Options options, GroupCommit.ChannelForcer forcer) throws IOException {
    this.options = options;
    this.forcer = forcer;
    this.checkpoint = new CheckpointFile(options.directory().resolve(CHECKPOINT));
    Files.createDirectories(options.directory());
    acknowledged = checkpoint.read();
    checkpointed = acknowledged;
    long records = 0;
    long dropped = 0;
    List<Path> files;
    try (Stream<Path> listing = Files.list(options.directory())) {
      files = listing.filter(Segment::isSegment).sorted().toList();
    }
    long lastSequence = acknowledged;
    for (Path file : files) {
      Segment.Recovered recovered = Segment.recover(file);
      Segment segment = recovered.segment();
      records += recovered.records();
      dropped += recovered.droppedBytes();
      segments.put(segment.firstSequence(), segment);
      sizeBytes.addAndGet(segment.size());
      lastSequence = Math.max(lastSequence, segment.lastSequence());
    }
    nextSequence = lastSequence + 1;
    if (segments.isEmpty()) {
      startSegment();
    } else {
      active = segments.lastEntry().getValue();
      active.openForAppend();
    }
    recovery = new Recovery(records, dropped, acknowledged);
    deleteAcknowledgedSegments();
    groupCommit =
        options.fsync() == FsyncPolicy.EVERY_APPEND
            ? new GroupCommit(options.directory(), forcer)
            : null;
  }

  /** Opens (creating if needed) the spool in {@code options.directory()} and recovers it. */
  public static Spool open(Options options) {
    return open(options, FileChannel::force);
  }

  static Spool open(Options options, GroupCommit.ChannelForcer forcer) {
    try {
      return new Spool(options, forcer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spool in " + options.directory(), e);
    }
  }

  public Recovery recovery() {
    return recovery;
  }

  /**
   * Appends the readings as one batch, assigning each the next gateway sequence (the sequence they
   * carry is ignored), and waits until it is durable (see {@link #appendAsync}).
   *
   * @throws SpoolException when the disk fails; nothing of the batch may be acknowledged
   */
  public AppendResult append(List<AcceptedReading> readings) {
    try {
      return appendAsync(readings).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SpoolException spoolFailure) {
        throw new SpoolException(spoolFailure.getMessage(), spoolFailure);
      }
      throw e;
    }
  }

  /**
   * Appends the readings as one batch, assigning each the next gateway sequence (the sequence they
   * carry is ignored). The batch is written (and its sequences assigned, so appends of one thread
   * keep their order) before this returns; the future completes with {@link AppendResult.Appended}
   * once it is durable — under {@link FsyncPolicy#EVERY_APPEND} after the group fsync that covers
   * it, on the spool's fsync thread (keep what you chain on it short) — with {@link
   * AppendResult.Full} at once when the spool is at its cap, and exceptionally with a {@link
   * SpoolException} when the disk fails (nothing of the batch may then be acknowledged).
   */
  public CompletableFuture<AppendResult> appendAsync(List<AcceptedReading> readings) {
    if (readings.isEmpty()) {
      return CompletableFuture.completedFuture(new AppendResult.Appended(List.of()));
    }
    List<AcceptedReading> sequenced = new ArrayList<>(readings.size());
    ByteBuffer[] records = new ByteBuffer[readings.size()];
    synchronized (this) {
      SpoolException failure = groupCommit == null ? null : groupCommit.failure();
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (closed) {
        return CompletableFuture.failedFuture(
            new SpoolException("the spool in " + options.directory() + " is closed", null));
      }
      long batchBytes = 0;
      long sequence = nextSequence;
      for (AcceptedReading reading : readings) {
        AcceptedReading withSequence =
            new AcceptedReading(
                reading.reading(),
                reading.cityId(),
                reading.kind(),
                reading.gatewayId(),
                sequence,
                reading.receivedAt());
        ByteBuffer record = RecordFrame.encode(sequence, AcceptedReadingJson.encode(withSequence));
        records[sequenced.size()] = record;
        sequenced.add(withSequence);
        batchBytes += record.remaining();
        sequence++;
      }
      if (sizeBytes.get() + batchBytes > options.capBytes()) {
        return CompletableFuture.completedFuture(new AppendResult.Full(options.capBytes()));
      }
      try {
        if (active.size() > 0 && active.size() + batchBytes > options.segmentBytes()) {
          retireActiveSegment();
          startSegment();
        }
        active.append(records, batchBytes, sequence - 1); // one write call for the whole batch
      } catch (IOException e) {
        return CompletableFuture.failedFuture(
            new SpoolException("cannot append to " + active.path(), e));
      }
      sizeBytes.addAndGet(batchBytes);
      nextSequence = sequence;
      notifyAll();
      AppendResult appended = new AppendResult.Appended(sequenced);
      if (groupCommit == null) {
        return CompletableFuture.completedFuture(appended);
      }
      return groupCommit.durable(active.writer(), appended);
    }
  }

  /** Fsyncs performed by group commit, and the appends they covered (for the benchmark). */
  public long groupSyncs() {
    return groupCommit == null ? 0 : groupCommit.syncs();
  }

  public long groupSyncedAppends() {
    return groupCommit == null ? 0 : groupCommit.syncedAppends();
  }

  /** Closes the active segment: forced and closed now, or by the fsync thread after its waiters. */
  private void retireActiveSegment() throws IOException {
    if (groupCommit == null) {
      forcer.force(active.writer(), true);
      active.writer().close();
    } else {
      groupCommit.retire(active.writer());
    }
  }

  /**
   * A reader of the records after {@code sequence}, in order (the forwarder starts one after {@link
   * #acknowledgedSequence()}); close it when done.
   */
  public SpoolReader readerAfter(long sequence) {
    return new SpoolReader(this, sequence);
  }

  /** Waits until a record after {@code sequence} exists, at most {@code timeoutMillis}. */
  public synchronized void awaitRecordAfter(long sequence, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (nextSequence - 1 <= sequence) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }

  /**
   * Kafka acknowledged every record up to {@code sequence}: deletes the segments that hold only
   * acknowledged records and checkpoints the sequence: when that deleted a segment, else at most
   * once per {@link #CHECKPOINT_EVERY} (and {@link #checkpointIfDue}, {@link #close}). The
   * forwarder acknowledges every batch, and at a low rate a batch is a reading or two: a checkpoint
   * each (two fsyncs) was most of the gateway's CPU when idle (docs/performance.md). A crash
   * resends what Kafka acknowledged since the last checkpoint, as it resends a batch Kafka took but
   * did not acknowledge; the reading ids make both duplicates downstream. After a power loss,
   * records Kafka took before their own fsync finished (never acknowledged to their devices, which
   * send again) may lose their gateway sequence to new records; nothing downstream reads that
   * sequence. The checkpoint's fsyncs run outside the appenders' lock, so appends (and the devices
   * waiting for their answer) do not wait for them.
   */
  public void acknowledge(long sequence) {
    synchronized (checkpointing) { // one at a time: never an older sequence over a newer one
      long upTo;
      boolean deleted = false;
      synchronized (this) {
        if (sequence <= acknowledged) {
          return;
        }
        upTo = Math.min(sequence, nextSequence - 1);
        acknowledged = upTo;
        try {
          deleted = deleteAcknowledgedSegments();
        } catch (IOException e) {
          log.warn("cannot delete acknowledged spool segments up to sequence {}", upTo, e);
        }
      }
      // Once segments are gone the checkpoint must cover them (once per segment, cheap): a
      // restart then neither counts their records as waiting nor begins its sequence below them.
      if (deleted || System.nanoTime() - checkpointedAt >= CHECKPOINT_EVERY.toNanos()) {
        writeCheckpoint(upTo);
      }
    }
  }

  /**
   * Writes an acknowledged sequence that waited for {@link #CHECKPOINT_EVERY}, once that passed;
   * the forwarder calls it when it has nothing to send, so a quiet gateway's checkpoint is never
   * more than about a second behind.
   */
  public void checkpointIfDue() {
    synchronized (checkpointing) {
      if (acknowledged > checkpointed
          && System.nanoTime() - checkpointedAt >= CHECKPOINT_EVERY.toNanos()) {
        writeCheckpoint(acknowledged);
      }
    }
  }

  /** Writes the acknowledged sequence; guarded by {@link #checkpointing}. */
  private void writeCheckpoint(long upTo) {
    try {
      checkpoint.write(upTo);
      checkpointed = upTo;
    } catch (IOException e) {
      // Not fatal: at worst the records are sent again after a restart (downstream deduplicates).
      log.warn("cannot checkpoint the spool at sequence {}", upTo, e);
    }
    checkpointedAt = System.nanoTime();
  }

  /** The sequence the next appended record gets. */
  public long nextSequence() {
    return nextSequence;
  }

  /** Every record up to this sequence is acknowledged by Kafka. */
  public long acknowledgedSequence() {
    return acknowledged;
  }

  /** Records appended and not yet acknowledged by Kafka. */
  public long depth() {
    return nextSequence - 1 - acknowledged;
  }

  public long sizeBytes() {
    return sizeBytes.get();
  }

  public long capBytes() {
    return options.capBytes();
  }

  /**
   * When the oldest record Kafka has not acknowledged was received; empty when none waits. Reads it
   * with a reader of its own, so no other reader moves.
   */
  public Optional<Instant> oldestUnacknowledgedReceivedAt() {
    if (depth() <= 0) {
      return Optional.empty();
    }
    try (SpoolReader reader = readerAfter(acknowledged)) {
      List<Spooled> oldest = reader.next(1);
      return oldest.isEmpty()
          ? Optional.empty()
          : Optional.of(oldest.get(0).reading().receivedAt());
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    synchronized (checkpointing) {
      if (acknowledged > checkpointed) {
        writeCheckpoint(acknowledged);
      }
    }
    if (groupCommit != null) {
      groupCommit.close();
    }
    synchronized (this) {
      try {
        forcer.force(active.writer(), true);
        active.writer().close();
      } catch (IOException e) {
        log.warn("closing the spool segment {} failed", active.path(), e);
      }
    }
  }

  Path directory() {
    return options.directory();
  }

  /** The segment that holds {@code sequence}, or the first one when that was deleted. */
  Segment segmentHolding(long sequence) {
    Map.Entry<Long, Segment> entry = segments.floorEntry(sequence);
    if (entry == null) {
      entry = segments.firstEntry();
    }
    return entry == null ? null : entry.getValue();
  }

  Segment segmentAfter(Segment segment) {
    Map.Entry<Long, Segment> entry = segments.higherEntry(segment.firstSequence());
    return entry == null ? null : entry.getValue();
  }

  /** False once the segment is deleted (every record in it acknowledged). */
  boolean holds(Segment segment) {
    return segments.get(segment.firstSequence()) == segment;
  }

  /** True while records are still appended to the segment. */
  boolean isWrittenTo(Segment segment) {
    return segment == active;
  }

  private void startSegment() throws IOException {
    Segment segment = Segment.create(options.directory(), nextSequence);
    segments.put(segment.firstSequence(), segment);
    active = segment;
  }

  /** Deletes the segments whose every record is acknowledged; whether it deleted any. */
  private boolean deleteAcknowledgedSegments() throws IOException {
    boolean deleted = false;
    for (Segment segment : List.copyOf(segments.values())) {
      if (segment != active && segment.lastSequence() <= acknowledged) {
        segments.remove(segment.firstSequence());
        segment.delete();
        sizeBytes.addAndGet(-segment.size());
        deleted = true;
      }
    }
    return deleted;
  }
}
