package io.envmon.domain.hj212;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a TCP byte stream into HJ 212 packets: feed it chunks split anywhere, several packets per
 * chunk, and it returns each complete packet and each run of bytes it had to drop. One instance per
 * connection; not thread-safe.
 *
 * <p>A packet starts at {@code ##} followed by 4 decimal digits and ends at the first CR LF, which
 * must come no later than the declared data length allows. envmon rule: a data segment never holds
 * {@code ##}, so {@code ##} before the CR LF starts the next packet and the bytes before it are
 * dropped. After dropping, the decoder resumes at the next {@code ##}, so a valid packet following
 * garbage or a broken packet is not lost. Memory is bounded by the maximum packet size plus the
 * chunk being fed.
 */
public final class Hj212FrameDecoder {

  /**
   * envmon rule: HJ 212-2017 limits the data segment to 1024 bytes; stations in the field exceed
   * it, so envmon frames up to 4096 by default (the framer runs before the station is known) and
   * {@link Hj212Codec} refuses more than 1024 unless the station tolerates {@link
   * Hj212Deviation#LONG_SEGMENT}. The 4 length digits allow 9999.
   */
  public static final int DEFAULT_MAX_DATA_LENGTH = 4096;

  private final int maxDataLength;
  private static final int INITIAL_CAPACITY = 256;

  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int start;
  private int end;

  /** The stream offset of {@code buffer[start]}. */
  private long startOffset;

  /** How far the packet starting at {@code start} has been searched for CR LF and {@code ##}. */
  private int scanned;

  /**
   * The packet at {@code start} has an SM4-encrypted data area ({@code ;CP=&&{}): its length field
   * is the plaintext's, so its CR LF may come later (HJ 212-2025 §6.4).
   */
  private boolean encrypted;

  public Hj212FrameDecoder() {
    this(DEFAULT_MAX_DATA_LENGTH);
  }

  /**
   * @param maxDataLength the largest data segment accepted, 0 to 9999 bytes; a longer declared
   *     length is a framing error
   */
  public Hj212FrameDecoder(int maxDataLength) {
    if (maxDataLength < 0 || maxDataLength > Hj212Codec.MAX_DATA_LENGTH) {
      throw new IllegalArgumentException(
          "maxDataLength " + maxDataLength + " is not within 0 to " + Hj212Codec.MAX_DATA_LENGTH);
    }
    this.maxDataLength = maxDataLength;
  }

  public int maxDataLength() {
    return maxDataLength;
  }

  private int maxPacketLength() {
    return Hj212Codec.HEADER_LENGTH + maxDataLength + Hj212Codec.TRAILER_LENGTH;
  }

  /** Feeds a whole chunk. */
  public List<FrameEvent> feed(byte[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  /** Feeds {@code length} bytes of {@code chunk} from {@code offset}, as read from the socket. */
  public List<FrameEvent> feed(byte[] chunk, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, chunk.length);
    append(chunk, offset, length);
    List<FrameEvent> events = new ArrayList<>();
    process(events);
    return events;
  }

  /** The connection closed: bytes of an unfinished packet are reported as dropped. */
  public List<FrameEvent> finish() {
    List<FrameEvent> events = new ArrayList<>();
    if (end > start) {
      dropError(events, "connection closed inside a packet", end - start);
    }
    return events;
  }

  private void process(List<FrameEvent> events) {
    while (end > start) {
      int packetStart = indexOfHashes(start);
      if (packetStart < 0) {
        // Keep a final '#': it may be the first half of the next "##".
        int garbage = end - start - (buffer[end - 1] == '#' ? 1 : 0);
        if (garbage > 0) {
          dropError(events, "bytes outside any packet (no ## before them)", garbage);
        }
        return;
      }
      if (packetStart > start) {
        dropError(events, "bytes outside any packet (no ## before them)", packetStart - start);
        continue;
      }
      if (!readPacket(events)) {
        return;
      }
    }
  }

  /**
   * Handles the packet at {@code start}: emits it, or drops it, or waits for more bytes.
   *
   * @return false when more bytes are needed
   */
  private boolean readPacket(List<FrameEvent> events) {
    int available = end - start;
    int declaredLength = 0;
    for (int i = 2; i < Math.min(Hj212Codec.HEADER_LENGTH, available); i++) {
      byte digit = buffer[start + i];
      if (digit < '0' || digit > '9') {
        resync(events, "data length after ## is not 4 decimal digits");
        return true;
      }
      declaredLength = declaredLength * 10 + (digit - '0');
    }
    if (available < Hj212Codec.HEADER_LENGTH) {
      return false;
    }
    if (declaredLength > maxDataLength) {
      resync(
          events,
          "declared data length " + declaredLength + " exceeds the maximum " + maxDataLength);
      return true;
    }
    int packetLength = packetLength(declaredLength);
    int limit = Math.min(end, start + packetLength);
    int from = Math.max(scanned, start + Hj212Codec.HEADER_LENGTH);
    for (int i = from; i < limit; i++) {
      byte b = buffer[i];
      boolean afterHeader = i - 1 >= start + Hj212Codec.HEADER_LENGTH;
      if (b == '{' && !encrypted && startsEncryptedData(i)) {
        encrypted = true;
        packetLength = packetLength(declaredLength);
        limit = Math.min(end, start + packetLength);
      }
      if (b == '\n' && afterHeader && buffer[i - 1] == '\r') {
        // The first CR LF ends the packet; a wrong length is Hj212Codec's to report.
        emitFrame(events, i + 1 - start);
        return true;
      }
      if (b == '#' && afterHeader && buffer[i - 1] == '#') {
        dropError(
            events,
            "packet interrupted by ## at stream offset " + (startOffset + i - 1 - start),
            i - 1 - start);
        return true;
      }
    }
    if (end >= start + packetLength) {
      resync(
          events,
          encrypted
              ? "no CR LF within "
                  + (packetLength - Hj212Codec.HEADER_LENGTH - Hj212Codec.TRAILER_LENGTH)
                  + " bytes, the most an encrypted data segment of plaintext length "
                  + declaredLength
                  + " can take"
              : "no CR LF where the declared data length " + declaredLength + " ends the packet");
      return true;
    }
    scanned = limit;
    return false;
  }

  /**
   * The most bytes the packet may take: as declared, or for an encrypted data area 5 per plaintext
   * character ({@code 0xNN,}) plus the braces, an upper bound of the written-out groups.
   */
  private int packetLength(int declaredLength) {
    int data = encrypted ? 5 * declaredLength + 2 : declaredLength;
    return Hj212Codec.HEADER_LENGTH + data + Hj212Codec.TRAILER_LENGTH;
  }

  /** {@code buffer[brace]} is the '{' of {@code ;CP=&&{} inside the packet at {@code start}. */
  private boolean startsEncryptedData(int brace) {
    byte[] marker = {';', 'C', 'P', '=', '&', '&'};
    int from = brace - marker.length;
    if (from < start + Hj212Codec.HEADER_LENGTH - 1) {
      return false;
    }
    for (int k = 0; k < marker.length; k++) {
      if (buffer[from + k] != marker[k]) {
        return false;
      }
    }
    return true;
  }

  /** Drops the bytes from {@code start} up to the next {@code ##}, or all but a final '#'. */
  private void resync(List<FrameEvent> events, String reason) {
    int next = indexOfHashes(start + 1);
    int count;
    if (next >= 0) {
      count = next - start;
    } else {
      count = end - start - (buffer[end - 1] == '#' ? 1 : 0);
    }
    dropError(events, reason, Math.max(count, 1));
  }

  private int indexOfHashes(int from) {
    for (int i = from; i + 1 < end; i++) {
      if (buffer[i] == '#' && buffer[i + 1] == '#') {
        return i;
      }
    }
    return -1;
  }

  private void emitFrame(List<FrameEvent> events, int length) {
    events.add(
        new FrameEvent.Frame(Arrays.copyOfRange(buffer, start, start + length), startOffset));
    consume(length);
  }

  /** Reports and drops {@code count} bytes; adjacent drops merge into one event. */
  private void dropError(List<FrameEvent> events, String reason, int count) {
    int last = events.size() - 1;
    if (last >= 0
        && events.get(last) instanceof FrameEvent.FramingError previous
        && previous.streamOffset() + previous.discardedBytes() == startOffset) {
      events.set(
          last,
          new FrameEvent.FramingError(
              previous.reason(), previous.streamOffset(), previous.discardedBytes() + count));
    } else {
      events.add(new FrameEvent.FramingError(reason, startOffset, count));
    }
    consume(count);
  }

  private void consume(int count) {
    start += count;
    startOffset += count;
    scanned = start;
    encrypted = false;
    if (start == end) {
      start = 0;
      end = 0;
      scanned = 0;
      if (buffer.length > INITIAL_CAPACITY + 2 * maxPacketLength()) {
        // A huge chunk grew the buffer; do not keep that memory per connection.
        buffer = new byte[INITIAL_CAPACITY];
      }
    }
  }

  private void append(byte[] chunk, int offset, int length) {
    if (end + length > buffer.length) {
      int pending = end - start;
      int scannedRelative = scanned - start;
      byte[] target =
          pending + length > buffer.length
              ? new byte[Math.max(pending + length, buffer.length * 2)]
              : buffer;
      System.arraycopy(buffer, start, target, 0, pending);
      buffer = target;
      start = 0;
      end = pending;
      scanned = Math.max(scannedRelative, 0);
    }
    System.arraycopy(chunk, offset, buffer, end, length);
    end += length;
  }
}
