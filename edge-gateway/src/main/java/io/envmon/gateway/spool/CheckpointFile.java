package io.envmon.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's {@code acknowledged} file: the highest sequence Kafka acknowledged, as decimal text.
 * Replaced atomically (written to a temporary file, forced, renamed over the old one, the directory
 * forced), so after a crash it holds the old value or the new one, never a mix.
 */
final class CheckpointFile {

  private static final Logger log = LoggerFactory.getLogger(CheckpointFile.class);

  private final Path file;
  private final Path temporary;

  CheckpointFile(Path file) {
    this.file = file;
    this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
  }

  /**
   * The sequence saved last; 0 (resend everything spooled) when there is none or it is unreadable.
   */
  long read() throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      log.warn("spool checkpoint {} holds '{}'; resending everything spooled", file, text);
      return 0;
    }
  }

  void write(long sequence) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer text =
          ByteBuffer.wrap(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
      while (text.hasRemaining()) {
        channel.write(text);
      }
      channel.force(true);
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    SpoolDirectory.force(file.getParent());
  }
}
