package io.envmon.sim.scenario;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a faulty device sends instead of a reading (fault {@link Fault.Malformed}). Deterministic by
 * the due instant, so a replay sends the same bytes.
 */
public final class MalformedPackets {

  private MalformedPackets() {}

  /**
   * An MQTT/CoAP payload a gateway must refuse, in turn (by the due minute): bytes that are not
   * JSON, SenML cut off in the middle, and well-formed SenML whose value is a string.
   */
  public static byte[] senml(String pointId, Instant at) {
    long variant = Math.floorMod(at.getEpochSecond() / 60, 3);
    String payload =
        switch ((int) variant) {
          case 0 -> "\u0000\u00ff garbage from " + pointId;
          case 1 -> "[{\"bn\":\"urn:dev:" + pointId + ":\",\"bt\":" + at.getEpochSecond() + ",\"n";
          default ->
              "[{\"bn\":\"urn:dev:"
                  + pointId
                  + ":\",\"bt\":"
                  + at.getEpochSecond()
                  + ",\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":\"not a number\"}]";
        };
    return payload.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code frame} (a complete HJ 212 frame {@code ##dddd…CCCC\r\n}) with its four CRC hex digits
   * replaced by a wrong checksum: every digit changed.
   */
  public static byte[] withBadCrc(byte[] frame) {
    int end = frame.length - 2;
    if (frame.length < 12 || frame[end] != '\r' || frame[end + 1] != '\n') {
      throw new IllegalArgumentException("not an HJ 212 frame ending in CRC and CR LF");
    }
    byte[] bad = frame.clone();
    for (int i = end - 4; i < end; i++) {
      int digit = Character.digit(bad[i], 16);
      bad[i] = (byte) Character.toUpperCase(Character.forDigit((digit + 1) % 16, 16));
    }
    return bad;
  }
}
