package io.envmon.domain;

/**
 * Quotes untrusted text (a packet's field, a SenML name) for an error reason a bureau reads:
 * clipped to 64 characters, control characters (C0, DEL, C1) escaped as {@code \\uXXXX} so a reason
 * cannot break a log line or a terminal, every other character, Chinese included, as it is.
 */
public final class Quote {
  private static final int MAX_CHARS = 64;

  private Quote() {}

  public static String text(String value) {
    StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8).append('"');
    for (int i = 0; i < value.length() && i < MAX_CHARS; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    if (value.length() > MAX_CHARS) {
      quoted.append("…");
    }
    return quoted.append('"').toString();
  }
}
