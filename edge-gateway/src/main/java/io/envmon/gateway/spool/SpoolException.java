package io.envmon.gateway.spool;

/** The spool's disk failed it; the reading was not appended and must not be acknowledged. */
public class SpoolException extends RuntimeException {
  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
