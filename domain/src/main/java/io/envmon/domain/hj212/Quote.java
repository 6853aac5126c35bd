package io.envmon.domain.hj212;

/** Quotes untrusted packet text for an error reason: clipped, with control characters escaped. */
final class Quote {
  private static final int MAX_CHARS = 40;

  private Quote() {}

  static String text(String value) {
    StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8).append('"');
    for (int i = 0; i < value.length() && i < MAX_CHARS; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        quoted.append(String.format("\\x%02X", (int) c & 0xFF));
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
