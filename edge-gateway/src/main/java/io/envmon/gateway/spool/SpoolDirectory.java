package io.envmon.gateway.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the spool directory's entries (a new segment, a renamed checkpoint) durable. */
final class SpoolDirectory {

  private static final Logger log = LoggerFactory.getLogger(SpoolDirectory.class);

  private SpoolDirectory() {}

  /** Forces the directory; not supported on every platform, so a failure is only logged. */
  static void force(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync the spool directory {}", directory, e);
    }
  }
}
