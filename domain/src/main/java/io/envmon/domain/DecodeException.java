package io.envmon.domain;

/**
 * Bad input to a decoder: says what is wrong ({@link #reason()}) and where ({@link #location()}: a
 * field name, a record index, a byte offset). Decoders throw this and nothing else for bad input.
 */
public class DecodeException extends Exception {
  private final String reason;
  private final String location;

  public DecodeException(String reason, String location) {
    super(reason + " at " + location);
    this.reason = reason;
    this.location = location;
  }

  public DecodeException(String reason, String location, Throwable cause) {
    super(reason + " at " + location, cause);
    this.reason = reason;
    this.location = location;
  }

  public String reason() {
    return reason;
  }

  public String location() {
    return location;
  }
}
