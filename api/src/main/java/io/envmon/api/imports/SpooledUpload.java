package io.envmon.api.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upload's body written to its spool file chunk by chunk as the server receives it, so no more
 * than one chunk is ever held in memory; 413 as soon as it passes the upload's limit.
 */
final class SpooledUpload implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpooledUpload.class);

  private final ImportService.Upload upload;
  private final FileChannel file;
  private long bytes;

  SpooledUpload(ImportService.Upload upload) {
    this.upload = upload;
    try {
      this.file =
          FileChannel.open(
              upload.file(),
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the upload to " + upload.file(), e);
    }
  }

  void write(byte[] chunk) {
    bytes += chunk.length;
    if (bytes > upload.maxBytes()) {
      throw upload.tooLarge();
    }
    try {
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        file.write(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not store the upload", e);
    }
  }

  long bytes() {
    return bytes;
  }

  /** Closes the file of an upload that is being discarded; a failure to close is only logged. */
  void closeQuietly() {
    try {
      file.close();
    } catch (IOException e) {
      LOG.warn("could not close the upload {}: {}", upload.file(), e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not store the upload", e);
    }
  }
}
