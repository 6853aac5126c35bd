package io.envmon.gateway.spool;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;

/** A spooled record as it is stored: its sequence and its {@link AcceptedReadingJson} bytes. */
public record Spooled(long sequence, byte[] json) {

  /** The reading (what the bytes say). */
  public AcceptedReading reading() {
    try {
      return AcceptedReadingJson.decode(json);
    } catch (DecodeException e) {
      throw new IllegalStateException(
          "spool record " + sequence + " passed its CRC but does not decode: " + e.getMessage(), e);
    }
  }
}
