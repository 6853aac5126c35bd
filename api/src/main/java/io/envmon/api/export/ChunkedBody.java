package io.envmon.api.export;

import java.io.InputStream;
import java.util.Iterator;

/**
 * An input stream over chunks made one at a time when the reader gets to them: the HTTP server
 * reads it as the client takes the bytes, so only one chunk is in memory at once.
 */
final class ChunkedBody extends InputStream {

  private final Iterator<byte[]> chunks;
  private byte[] current = new byte[0];
  private int position;

  ChunkedBody(Iterator<byte[]> chunks) {
    this.chunks = chunks;
  }

  @Override
  public int read() {
    return ready() ? current[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] target, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (!ready()) {
      return -1;
    }
    int count = Math.min(length, current.length - position);
    System.arraycopy(current, position, target, offset, count);
    position += count;
    return count;
  }

  @Override
  public int available() {
    return current.length - position;
  }

  /** True when a byte is there to read, making chunks until one has bytes or none are left. */
  private boolean ready() {
    while (position == current.length) {
      if (!chunks.hasNext()) {
        return false;
      }
      current = chunks.next();
      position = 0;
    }
    return true;
  }
}
