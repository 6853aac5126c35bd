package io.envmon.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * How one spool record is stored: {@code [payload length:int][CRC32 of sequence+payload:int]
 * [sequence:long][payload]}. Encodes a record for an append; reads one back and checks it, so a
 * record torn by a crash or damaged on the disk is recognised and never taken for a reading.
 */
final class RecordFrame {

  static final int HEADER_BYTES = 16;
  static final int MAX_PAYLOAD_BYTES = 1 << 20;

  private RecordFrame() {}

  /**
   * What is at an offset of a segment: a whole record that passed its CRC, or why there is none.
   */
  sealed interface Read permits Intact, Broken {}

  /** A whole record; {@code bytes} is its size on the disk, header included. */
  record Intact(long sequence, byte[] payload) implements Read {
    int bytes() {
      return HEADER_BYTES + payload.length;
    }
  }

  /** No whole record here: it is cut short, declares an impossible length, or fails its CRC. */
  /**
   * What is wrong; {@code wholeBytes} is the record's length when it is all there and only its CRC
   * fails (a reader can step over it), else 0.
   */
  record Broken(String reason, int wholeBytes) implements Read {
    Broken(String reason) {
      this(reason, 0);
    }
  }

  /** The record of {@code payload} with this gateway sequence, ready to be written. */
  static ByteBuffer encode(long sequence, byte[] payload) {
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException(
          "a reading of " + payload.length + " bytes exceeds the spool record limit");
    }
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    frame.putInt(payload.length).putInt(crc(sequence, payload)).putLong(sequence).put(payload);
    return frame.flip();
  }

  /**
   * Reads and checks the record at {@code offset}, where the file's records end at {@code end} (its
   * size at recovery, the bytes written so far afterwards).
   */
  static Read read(FileChannel channel, long offset, long end) throws IOException {
    if (end - offset < HEADER_BYTES) {
      return new Broken("a record header is cut short");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    readFully(channel, header, offset);
    header.flip();
    int length = header.getInt();
    int crc = header.getInt();
    long sequence = header.getLong();
    if (length < 0 || length > MAX_PAYLOAD_BYTES) {
      return new Broken("a record declares an impossible length " + length);
    }
    if (end - offset - HEADER_BYTES < length) {
      return new Broken("a record's payload is cut short");
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    readFully(channel, payload, offset + HEADER_BYTES);
    if (crc(sequence, payload.array()) != crc) {
      return new Broken("a record fails its CRC", HEADER_BYTES + length);
    }
    return new Intact(sequence, payload.array());
  }

  /**
   * Whether {@code bytes} holds, from {@code at} to its limit, a header declaring a possible length
   * and that many payload bytes after it.
   */
  static boolean isWhole(ByteBuffer bytes, int at) {
    if (bytes.limit() - at < HEADER_BYTES) {
      return false;
    }
    int length = bytes.getInt(at);
    return length >= 0
        && length <= MAX_PAYLOAD_BYTES
        && bytes.limit() - at - HEADER_BYTES >= length;
  }

  /** Checks the record at {@code at} of {@code bytes}, which holds it whole ({@link #isWhole}). */
  static Read read(ByteBuffer bytes, int at) {
    int length = bytes.getInt(at);
    int crc = bytes.getInt(at + Integer.BYTES);
    long sequence = bytes.getLong(at + 2 * Integer.BYTES);
    byte[] payload = new byte[length];
    bytes.get(at + HEADER_BYTES, payload);
    if (crc(sequence, payload) != crc) {
      return new Broken("a record fails its CRC", HEADER_BYTES + length);
    }
    return new Intact(sequence, payload);
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
}
