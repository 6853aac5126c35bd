package io.envmon.gateway.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cursor over the spool's records in sequence order, for one thread (the forwarder owns one): it
 * keeps its place and its segment's file open between reads, moves to the next segment when it has
 * read a full one, and looks its place up again when its segment was deleted. Reading never moves
 * another reader, nor what the spool counts as acknowledged. A record damaged on disk whose length
 * is intact is stepped over with an ERROR line; one whose length is not stops the reader there.
 * Records are read {@value #READ_AHEAD_BYTES} bytes of a segment at a time, not two reads each.
 */
public final class SpoolReader implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(SpoolReader.class);

  /** Bytes of a segment read at once; a longer record is read by itself. */
  static final int READ_AHEAD_BYTES = 256 * 1024;

  private final Spool spool;
  private final ByteBuffer ahead = ByteBuffer.allocate(READ_AHEAD_BYTES).limit(0);
  private long aheadAt; // the offset in the segment of ahead's first byte
  private long lastRead;
  private Segment segment; // null until the first read, and after the segment was deleted
  private FileChannel channel;
  private long offset;
  private long skipped;

  SpoolReader(Spool spool, long afterSequence) {
    this.spool = spool;
    this.lastRead = afterSequence;
  }

  /** Damaged records stepped over since this reader was opened. */
  public long skipped() {
    return skipped;
  }

  /** The sequence of the last record read (or the one this reader started after). */
  public long lastRead() {
    return lastRead;
  }

  /**
   * Up to {@code max} records after the last one read, oldest first; empty when there are none yet.
   * Records deleted since (acknowledged) are skipped.
   */
  public List<Spooled> next(int max) {
    List<Spooled> out = new ArrayList<>();
    long startedAfter = lastRead;
    try {
      while (out.size() < max) {
        if ((segment == null || !spool.holds(segment)) && !seek()) {
          return out;
        }
        // Whether it is still written to, asked before its size: a segment seen retired has its
        // final size, so reading to that size reads all of it.
        boolean written = spool.isWrittenTo(segment);
        long end = segment.size();
        while (offset < end && out.size() < max) {
          RecordFrame.Read read = read(end);
          if (read instanceof RecordFrame.Broken broken && broken.wholeBytes() > 0) {
            // Damaged on disk after it was written whole: it cannot be sent, and stopping here
            // would stop every record after it too. Step over it, loudly.
            log.error(
                "Spool: skipping the record at byte {} of {} ({}, {} bytes): a reading that was"
                    + " acknowledged to its device is lost",
                offset,
                segment.path(),
                broken.reason(),
                broken.wholeBytes());
            offset += broken.wholeBytes();
            skipped++;
            continue;
          }
          if (read instanceof RecordFrame.Broken broken) {
            throw new SpoolException(
                "spool segment " + segment.path() + " at byte " + offset + ": " + broken.reason(),
                null);
          }
          RecordFrame.Intact record = (RecordFrame.Intact) read;
          offset += record.bytes();
          if (record.sequence() > lastRead) {
            out.add(new Spooled(record.sequence(), record.payload()));
            lastRead = record.sequence();
          }
        }
        if (offset < end || written) {
          return out;
        }
        Segment following = spool.segmentAfter(segment);
        if (following == null) {
          return out;
        }
        open(following);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      // Nothing of this read is returned: start it again from the same place next time.
      lastRead = startedAfter;
      segment = null;
      try {
        closeChannel();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new UncheckedIOException(
          "cannot read the spool in " + spool.directory(), (IOException) e);
    }
  }

  /** The record at {@code offset}, from the bytes read ahead when they hold it whole. */
  private RecordFrame.Read read(long end) throws IOException {
    if (offset < aheadAt || !RecordFrame.isWhole(ahead, (int) (offset - aheadAt))) {
      ahead.clear().limit((int) Math.min(READ_AHEAD_BYTES, end - offset));
      long at = offset;
      while (ahead.hasRemaining()) {
        int read = channel.read(ahead, at);
        if (read < 0) {
          throw new IOException("unexpected end of " + segment.path() + " at " + at);
        }
        at += read;
      }
      ahead.flip();
      aheadAt = offset;
      if (!RecordFrame.isWhole(ahead, 0)) {
        // Longer than the read-ahead, cut short or of an impossible length: read it by itself.
        return RecordFrame.read(channel, offset, end);
      }
    }
    return RecordFrame.read(ahead, (int) (offset - aheadAt));
  }

  /** Waits until a record after the last one read exists, at most {@code timeoutMillis}. */
  public void awaitNext(long timeoutMillis) throws InterruptedException {
    spool.awaitRecordAfter(lastRead, timeoutMillis);
  }

  /**
   * Finds the segment holding the record after the last one read; false when the spool has none.
   */
  private boolean seek() throws IOException {
    while (true) {
      Segment holding = spool.segmentHolding(lastRead + 1);
      if (holding == null) {
        return false;
      }
      try {
        open(holding);
        return true;
      } catch (NoSuchFileException deleted) {
        if (spool.holds(holding)) {
          throw deleted;
        }
        // acknowledged and deleted since it was looked up: look again
      }
    }
  }

  private void open(Segment next) throws IOException {
    closeChannel();
    segment = null;
    channel = next.openForReading();
    segment = next;
    offset = 0;
    ahead.clear().limit(0);
    aheadAt = 0;
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      FileChannel closing = channel;
      channel = null;
      closing.close();
    }
  }

  @Override
  public void close() {
    segment = null;
    try {
      closeChannel();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot close a reader of the spool in " + spool.directory(), e);
    }
  }
}
