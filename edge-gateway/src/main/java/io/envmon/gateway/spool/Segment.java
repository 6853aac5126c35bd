package io.envmon.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file of the spool, named by its first sequence ({@code 00000000000000000001.segment}): the
 * {@link RecordFrame records} of increasing sequences. Recovery keeps its intact records and cuts
 * off a tail torn by a crash; only the newest segment is written, and only under the spool's lock.
 */
final class Segment {

  private static final Logger log = LoggerFactory.getLogger(Segment.class);
  private static final String SUFFIX = ".segment";

  /** What recovering a segment found: the records kept and the bytes of a broken tail cut off. */
  record Recovered(Segment segment, long records, long droppedBytes) {}

  private final Path path;
  private final long firstSequence;
  private volatile long lastSequence;
  // The bytes of whole records written: readers read up to here, never a record being written.
  private volatile long size;
  private FileChannel writer; // while this is the segment being written

  private Segment(Path path, long firstSequence) {
    this.path = path;
    this.firstSequence = firstSequence;
    this.lastSequence = firstSequence - 1;
  }

  static boolean isSegment(Path file) {
    return file.getFileName().toString().endsWith(SUFFIX);
  }

  /** A new, empty segment in {@code directory} whose first record will be {@code firstSequence}. */
  static Segment create(Path directory, long firstSequence) throws IOException {
    Segment segment =
        new Segment(
            directory.resolve(String.format("%020d%s", firstSequence, SUFFIX)), firstSequence);
    segment.writer =
        FileChannel.open(segment.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    SpoolDirectory.force(directory);
    return segment;
  }

  /**
   * Scans a segment file, keeps its intact records and truncates it at the first broken one (a
   * record half-written when the gateway crashed, or one whose sequence does not follow).
   */
  static Recovered recover(Path file) throws IOException {
    String name = file.getFileName().toString();
    Segment segment =
        new Segment(file, Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
    long records = 0;
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long fileSize = channel.size();
      long offset = 0;
      String broken = null;
      while (offset < fileSize) {
        RecordFrame.Read read = RecordFrame.read(channel, offset, fileSize);
        if (read instanceof RecordFrame.Broken damage) {
          broken = damage.reason();
          break;
        }
        RecordFrame.Intact record = (RecordFrame.Intact) read;
        if (record.sequence() <= segment.lastSequence) {
          broken =
              "a record's sequence "
                  + record.sequence()
                  + " does not follow "
                  + segment.lastSequence;
          break;
        }
        segment.lastSequence = record.sequence();
        records++;
        offset += record.bytes();
      }
      long dropped = fileSize - offset;
      if (broken != null) {
        log.warn(
            "spool segment {}: {} at byte {}; dropping its last {} bytes (written but never"
                + " acknowledged)",
            name,
            broken,
            offset,
            dropped);
        channel.truncate(offset);
        channel.force(true);
      }
      segment.size = offset;
      return new Recovered(segment, records, dropped);
    }
  }

  /** Makes a recovered segment the one being written, appending after its last record. */
  void openForAppend() throws IOException {
    writer = FileChannel.open(path, StandardOpenOption.WRITE);
    writer.position(size);
  }

  /**
   * Writes whole records ({@code bytes} in all, the last with {@code lastSequence}) in one
   * gathering write. When the write fails the segment is cut back to its last whole record, so it
   * stays well-formed.
   */
  void append(ByteBuffer[] records, long bytes, long lastSequence) throws IOException {
    try {
      long left = bytes;
      while (left > 0) {
        left -= writer.write(records);
      }
    } catch (IOException e) {
      try {
        writer.truncate(size);
        writer.position(size);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.lastSequence = lastSequence;
    this.size += bytes; // after lastSequence: a reader that sees the bytes sees their sequence
  }

  /** The channel being written to, for fsyncs and to close when the next segment starts. */
  FileChannel writer() {
    return writer;
  }

  FileChannel openForReading() throws IOException {
    return FileChannel.open(path, StandardOpenOption.READ);
  }

  void delete() throws IOException {
    Files.deleteIfExists(path);
  }

  Path path() {
    return path;
  }

  long firstSequence() {
    return firstSequence;
  }

  long lastSequence() {
    return lastSequence;
  }

  long size() {
    return size;
  }
}
