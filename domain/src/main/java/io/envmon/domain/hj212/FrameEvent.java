package io.envmon.domain.hj212;

import io.envmon.domain.DecodeException;
import java.util.Arrays;
import java.util.Objects;

/** What {@link Hj212FrameDecoder} found in a TCP byte stream: a packet, or bytes it dropped. */
public sealed interface FrameEvent {

  /** Where in the stream the event's bytes start, counting from the connection's first byte. */
  long streamOffset();

  /**
   * A complete packet from {@code ##} to CR LF, not yet checked: decode it with {@link
   * Hj212Codec#decodeFrame}.
   */
  record Frame(byte[] bytes, long streamOffset) implements FrameEvent {
    public Frame {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Frame f
          && streamOffset == f.streamOffset
          && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(bytes) + Long.hashCode(streamOffset);
    }

    @Override
    public String toString() {
      return "Frame[" + bytes.length + " bytes at stream offset " + streamOffset + "]";
    }
  }

  /** Bytes that are not a packet and were dropped; the decoder has resynchronised after them. */
  record FramingError(String reason, long streamOffset, int discardedBytes) implements FrameEvent {
    public FramingError {
      Objects.requireNonNull(reason, "reason");
    }

    /** The same problem as a decode failure, e.g. for the dead-letter topic. */
    public DecodeException toDecodeException() {
      return new DecodeException(reason, "stream offset " + streamOffset);
    }
  }
}
