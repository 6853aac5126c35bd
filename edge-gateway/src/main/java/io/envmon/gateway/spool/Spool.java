package io.envmon.gateway.spool;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable journal of accepted readings (docs/gateway.md "Spool"): append-only segment
 * files of records framed as {@code [payload length:int][CRC32 of sequence+payload:int]
 * [sequence:long][AcceptedReading JSON]}. Each record gets the gateway's next sequence number.
 * Whole segments are deleted once Kafka acknowledged every record in them; the acknowledged
 * sequence is checkpointed so a restart resends only what Kafka may not have.
 *
 * <p>Appends are serialised (encoded and written under one lock); one reader (the forwarder) may
 * read concurrently. Under {@link FsyncPolicy#EVERY_APPEND} the spool commits in groups: the
 * appends written while an fsync is running are all covered by the next single fsync, done by the
 * spool's own thread ({@code spool-fsync}), and each append's future completes only after the fsync
 * that covers its bytes. A failed fsync fails every waiting append and every later one (the spool
 * no longer knows what is on the disk; a restart recovers it), so nothing is acknowledged that is
 * not durable. The forwarder may read a record whose fsync is still running (as with {@link
 * FsyncPolicy#OPERATING_SYSTEM}): if that fsync fails the device is not acknowledged and sends
 * again, and the reading id lets downstream drop the duplicate.
 */
public final class Spool implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  static final int HEADER_BYTES = 16;
  static final int MAX_PAYLOAD_BYTES = 1 << 20;
  private static final String SEGMENT_SUFFIX = ".segment";
  private static final String CHECKPOINT = "acknowledged";

  /** Forces a channel to the disk; replaced in tests to simulate a failing disk. */
  @FunctionalInterface
  interface ChannelForcer {
    void force(FileChannel channel, boolean metaData) throws IOException;
  }

  /**
   * An append written but not yet covered by an fsync, or a segment channel to force and close
   * (then {@code future} is null).
   */
  private record Unsynced(
      FileChannel channel,
      boolean retire,
      CompletableFuture<AppendResult> future,
      AppendResult result) {}

  /**
   * @param capBytes the most disk the segments may use; beyond it {@code append} answers FULL
   * @param segmentBytes a segment is closed and a new one started beyond this size
   */
  public record Options(Path directory, long capBytes, long segmentBytes, FsyncPolicy fsync) {
    public Options {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(fsync, "fsync");
      if (segmentBytes <= HEADER_BYTES || capBytes < segmentBytes) {
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

  private static final class Segment {
    final Path path;
    final long firstSequence;
    volatile long lastSequence;
    volatile long size;

    Segment(Path path, long firstSequence) {
      this.path = path;
      this.firstSequence = firstSequence;
      this.lastSequence = firstSequence - 1;
    }
  }

  /** Where the reader stopped, so the next read continues without rescanning the segment. */
  private record ReadPosition(long nextSequence, long segmentFirstSequence, long offset) {}

  private final Options options;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final AtomicLong sizeBytes = new AtomicLong();
  private final Recovery recovery;
  private volatile Segment active;
  private FileChannel activeChannel;
  private volatile long nextSequence;
  private volatile long acknowledged;
  private volatile ReadPosition readPosition = new ReadPosition(-1, -1, -1);

  private final ChannelForcer forcer;
  private final Object syncLock = new Object();
  // Guarded by syncLock; appended in write order (under this spool's lock).
  private final List<Unsynced> unsynced = new ArrayList<>();
  private boolean syncStopping;
  private boolean closed; // guarded by this
  private volatile SpoolException syncFailure;
  private final Thread syncThread;
  private final LongAdder syncs = new LongAdder();
  private final LongAdder syncedAppends = new LongAdder();

  private Spool(Options options, ChannelForcer forcer) throws IOException {
    this.options = options;
    this.forcer = forcer;
    Files.createDirectories(options.directory());
    acknowledged = readCheckpoint();
    long records = 0;
    long dropped = 0;
    List<Path> files;
    try (Stream<Path> listing = Files.list(options.directory())) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(SEGMENT_SUFFIX))
              .sorted()
              .toList();
    }
    long lastSequence = acknowledged;
    for (Path file : files) {
      String name = file.getFileName().toString();
      Segment segment =
          new Segment(
              file, Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length())));
      long[] scan = recover(segment);
      records += scan[0];
      dropped += scan[1];
      segments.put(segment.firstSequence, segment);
      sizeBytes.addAndGet(segment.size);
      lastSequence = Math.max(lastSequence, segment.lastSequence);
    }
    nextSequence = lastSequence + 1;
    if (segments.isEmpty()) {
      startSegment();
    } else {
      active = segments.lastEntry().getValue();
      activeChannel = FileChannel.open(active.path, StandardOpenOption.WRITE);
      activeChannel.position(active.size);
    }
    recovery = new Recovery(records, dropped, acknowledged);
    deleteAcknowledgedSegments();
    if (options.fsync() == FsyncPolicy.EVERY_APPEND) {
      syncThread = new Thread(this::syncLoop, "spool-fsync");
      syncThread.setDaemon(true);
      syncThread.start();
    } else {
      syncThread = null;
    }
  }

  /** Opens (creating if needed) the spool in {@code options.directory()} and recovers it. */
  public static Spool open(Options options) {
    return open(options, FileChannel::force);
  }

  static Spool open(Options options, ChannelForcer forcer) {
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
    List<ByteBuffer> frames = new ArrayList<>(readings.size());
    synchronized (this) {
      SpoolException failure = syncFailure;
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
        ByteBuffer frame = frame(sequence, AcceptedReadingJson.encode(withSequence));
        sequenced.add(withSequence);
        frames.add(frame);
        batchBytes += frame.remaining();
        sequence++;
      }
      if (sizeBytes.get() + batchBytes > options.capBytes()) {
        return CompletableFuture.completedFuture(new AppendResult.Full(options.capBytes()));
      }
      try {
        if (active.size > 0 && active.size + batchBytes > options.segmentBytes()) {
          retireActiveSegment();
          startSegment();
        }
        ByteBuffer[] gather = frames.toArray(new ByteBuffer[0]);
        long left = batchBytes;
        while (left > 0) {
          left -= activeChannel.write(gather); // one write call for the whole batch
        }
      } catch (IOException e) {
        // The tail may now hold a partial batch; truncate it so the journal stays well-formed.
        try {
          activeChannel.truncate(active.size);
          activeChannel.position(active.size);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        return CompletableFuture.failedFuture(
            new SpoolException("cannot append to " + active.path, e));
      }
      active.size += batchBytes;
      active.lastSequence = sequence - 1;
      sizeBytes.addAndGet(batchBytes);
      nextSequence = sequence;
      notifyAll();
      AppendResult appended = new AppendResult.Appended(sequenced);
      if (options.fsync() != FsyncPolicy.EVERY_APPEND) {
        return CompletableFuture.completedFuture(appended);
      }
      CompletableFuture<AppendResult> durable = new CompletableFuture<>();
      synchronized (syncLock) {
        unsynced.add(new Unsynced(activeChannel, false, durable, appended));
        syncLock.notifyAll();
      }
      return durable;
    }
  }

  /** Fsyncs performed by group commit, and the appends they covered (for the benchmark). */
  public long groupSyncs() {
    return syncs.sum();
  }

  public long groupSyncedAppends() {
    return syncedAppends.sum();
  }

  /** Closes the active segment: forced and closed now, or by the fsync thread after its waiters. */
  private void retireActiveSegment() throws IOException {
    if (syncThread == null) {
      forcer.force(activeChannel, true);
      activeChannel.close();
      return;
    }
    synchronized (syncLock) {
      unsynced.add(new Unsynced(activeChannel, true, null, null));
      syncLock.notifyAll();
    }
  }

  /**
   * The fsync thread: takes every append written since the last fsync, forces their channels once
   * (channels of retired segments are also closed), then completes their futures — or, when an
   * fsync fails, fails them and every later append.
   */
  private void syncLoop() {
    while (true) {
      List<Unsynced> batch;
      synchronized (syncLock) {
        while (unsynced.isEmpty() && !syncStopping) {
          try {
            syncLock.wait();
          } catch (InterruptedException e) {
            // only close() stops this thread, after draining
          }
        }
        if (unsynced.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(unsynced);
        unsynced.clear();
      }
      SpoolException failure = syncFailure;
      if (failure == null) {
        failure = forceAll(batch);
      }
      if (failure == null) {
        // Counted before the waiters learn of it, so a caller sees its own append counted.
        syncs.increment();
        syncedAppends.add(batch.stream().filter(entry -> entry.future() != null).count());
      }
      for (Unsynced entry : batch) {
        if (entry.future() == null) {
          continue;
        }
        if (failure == null) {
          entry.future().complete(entry.result());
        } else {
          entry.future().completeExceptionally(failure);
        }
      }
    }
  }

  private SpoolException forceAll(List<Unsynced> batch) {
    // The channels in write order, each once; true when the segment was retired (force + close).
    Map<FileChannel, Boolean> channels = new LinkedHashMap<>();
    for (Unsynced entry : batch) {
      channels.merge(entry.channel(), entry.retire(), Boolean::logicalOr);
    }
    for (Map.Entry<FileChannel, Boolean> channel : channels.entrySet()) {
      try {
        forcer.force(channel.getKey(), channel.getValue());
        if (channel.getValue()) {
          channel.getKey().close();
        }
      } catch (IOException | RuntimeException e) {
        SpoolException failure =
            new SpoolException(
                "fsync of the spool in "
                    + options.directory()
                    + " failed; appends are refused until the gateway restarts and recovers it",
                e);
        synchronized (this) {
          syncFailure = failure;
        }
        log.error("{}", failure.getMessage(), e);
        return failure;
      }
    }
    return null;
  }

  /** A spooled record as it is stored: its sequence and its {@link AcceptedReadingJson} bytes. */
  public record Spooled(long sequence, byte[] json) {

    /** The reading (what the bytes say). */
    public AcceptedReading reading() {
      try {
        return AcceptedReadingJson.decode(json);
      } catch (DecodeException e) {
        throw new IllegalStateException(
            "spool record " + sequence + " passed its CRC but does not decode: " + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Up to {@code max} records with a sequence after {@code sequence}, oldest first; empty when
   * there are none yet.
   */
  public List<AcceptedReading> readAfter(long sequence, int max) {
    return readRawAfter(sequence, max).stream().map(Spooled::reading).toList();
  }

  /**
   * As {@link #readAfter}, the records' bytes as stored: the forwarder sends them to Kafka as they
   * are, without decoding and encoding each reading again.
   */
  public List<Spooled> readRawAfter(long sequence, int max) {
    long wanted = Math.max(sequence + 1, firstSequence());
    List<Spooled> out = new ArrayList<>();
    ReadPosition position = readPosition;
    Map.Entry<Long, Segment> entry;
    long offset;
    if (position.nextSequence() == wanted
        && segments.containsKey(position.segmentFirstSequence())) {
      entry =
          Map.entry(position.segmentFirstSequence(), segments.get(position.segmentFirstSequence()));
      offset = position.offset();
    } else {
      entry = segments.floorEntry(wanted);
      if (entry == null) {
        entry = segments.firstEntry();
      }
      offset = 0;
    }
    while (entry != null && out.size() < max) {
      Segment segment = entry.getValue();
      long limit = segment.size;
      try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (offset + HEADER_BYTES <= limit && out.size() < max) {
          header.clear();
          readFully(channel, header, offset);
          header.flip();
          int length = header.getInt();
          header.getInt();
          long recordSequence = header.getLong();
          if (recordSequence >= wanted) {
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, offset + HEADER_BYTES);
            out.add(new Spooled(recordSequence, payload.array()));
            wanted = recordSequence + 1;
          }
          offset += HEADER_BYTES + length;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the spool segment " + segment.path, e);
      }
      if (out.size() >= max) {
        readPosition = new ReadPosition(wanted, segment.firstSequence, offset);
        return out;
      }
      if (segment == active || offset < segment.size) {
        readPosition = new ReadPosition(wanted, segment.firstSequence, offset);
        return out;
      }
      entry = segments.higherEntry(entry.getKey());
      offset = 0;
    }
    return out;
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
   * Kafka acknowledged every record up to {@code sequence}: checkpoints it and deletes the segments
   * that hold only acknowledged records.
   */
  public synchronized void acknowledge(long sequence) {
    if (sequence <= acknowledged) {
      return;
    }
    acknowledged = Math.min(sequence, nextSequence - 1);
    try {
      writeCheckpoint(acknowledged);
      deleteAcknowledgedSegments();
    } catch (IOException e) {
      // Not fatal: at worst the records are sent again after a restart (downstream deduplicates).
      log.warn("cannot checkpoint or clean the spool at sequence {}", acknowledged, e);
    }
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

  /** When the oldest record Kafka has not acknowledged was received; empty when none waits. */
  public Optional<Instant> oldestUnacknowledgedReceivedAt() {
    if (depth() <= 0) {
      return Optional.empty();
    }
    List<AcceptedReading> oldest = readAfterWithoutMovingReader(acknowledged);
    return oldest.isEmpty() ? Optional.empty() : Optional.of(oldest.get(0).receivedAt());
  }

  private List<AcceptedReading> readAfterWithoutMovingReader(long sequence) {
    ReadPosition saved = readPosition;
    try {
      return readAfter(sequence, 1);
    } finally {
      readPosition = saved;
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (syncThread != null) {
      synchronized (syncLock) {
        syncStopping = true;
        syncLock.notifyAll();
      }
      try {
        syncThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      try {
        forcer.force(activeChannel, true);
        activeChannel.close();
      } catch (IOException e) {
        log.warn("closing the spool segment {} failed", active.path, e);
      }
    }
  }

  private long firstSequence() {
    Map.Entry<Long, Segment> first = segments.firstEntry();
    return first == null ? nextSequence : first.getKey();
  }

  private void startSegment() throws IOException {
    Path path = options.directory().resolve(String.format("%020d%s", nextSequence, SEGMENT_SUFFIX));
    activeChannel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    active = new Segment(path, nextSequence);
    segments.put(active.firstSequence, active);
    forceDirectory();
  }

  private void deleteAcknowledgedSegments() throws IOException {
    for (Segment segment : List.copyOf(segments.values())) {
      if (segment != active && segment.lastSequence <= acknowledged) {
        segments.remove(segment.firstSequence);
        Files.deleteIfExists(segment.path);
        sizeBytes.addAndGet(-segment.size);
      }
    }
  }

  /**
   * Scans a segment, keeps its well-formed records and truncates it at the first broken one (a
   * record half-written when the gateway crashed).
   *
   * @return records kept and bytes dropped
   */
  private long[] recover(Segment segment) throws IOException {
    long records = 0;
    try (FileChannel channel =
        FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long fileSize = channel.size();
      long offset = 0;
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      String broken = null;
      while (offset < fileSize) {
        if (fileSize - offset < HEADER_BYTES) {
          broken = "a record header is cut short";
          break;
        }
        header.clear();
        readFully(channel, header, offset);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        long sequence = header.getLong();
        if (length < 0 || length > MAX_PAYLOAD_BYTES) {
          broken = "a record declares an impossible length " + length;
          break;
        }
        if (fileSize - offset - HEADER_BYTES < length) {
          broken = "a record's payload is cut short";
          break;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload, offset + HEADER_BYTES);
        if (crc(sequence, payload.array()) != crc) {
          broken = "a record fails its CRC";
          break;
        }
        if (sequence <= segment.lastSequence) {
          broken = "a record's sequence " + sequence + " does not follow " + segment.lastSequence;
          break;
        }
        segment.lastSequence = sequence;
        records++;
        offset += HEADER_BYTES + length;
      }
      long dropped = fileSize - offset;
      if (broken != null) {
        log.warn(
            "spool segment {}: {} at byte {}; dropping its last {} bytes (written but never"
                + " acknowledged)",
            segment.path.getFileName(),
            broken,
            offset,
            dropped);
        channel.truncate(offset);
        channel.force(true);
      }
      segment.size = offset;
      return new long[] {records, dropped};
    }
  }

  private static ByteBuffer frame(long sequence, byte[] payload) {
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "a reading of " + payload.length + " bytes exceeds the spool record limit");
    }
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    frame.putInt(payload.length).putInt(crc(sequence, payload)).putLong(sequence).put(payload);
    return frame.flip();
  }

  private static int crc(long sequence, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(ByteBuffer.allocate(Long.BYTES).putLong(sequence).flip());
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("unexpected end of " + channel + " at " + at);
      }
      at += read;
    }
  }

  private long readCheckpoint() throws IOException {
    Path checkpoint = options.directory().resolve(CHECKPOINT);
    if (!Files.exists(checkpoint)) {
      return 0;
    }
    String text = Files.readString(checkpoint, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      log.warn("spool checkpoint {} holds '{}'; resending everything spooled", checkpoint, text);
      return 0;
    }
  }

  private void writeCheckpoint(long sequence) throws IOException {
    Path checkpoint = options.directory().resolve(CHECKPOINT);
    Path temporary = options.directory().resolve(CHECKPOINT + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    try {
      Files.move(
          temporary,
          checkpoint,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, checkpoint, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void forceDirectory() {
    // Makes a new segment's directory entry durable; not supported on every platform.
    try (FileChannel directory = FileChannel.open(options.directory(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync the spool directory {}", options.directory(), e);
    }
  }
}
