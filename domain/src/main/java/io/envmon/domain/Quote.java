package io.envmon.domain;

/**
 * Quotes untrusted text (a packet's field, a SenML name) for an error reason a bureau reads:
 * clipped to 64 characters (code points: a surrogate pair is never split); control and format
 * characters (C0, DEL, C1, bidi overrides, zero-width) and the line and paragraph separators
 * escaped as {@code \\uXXXX}, so a reason cannot break or disguise a log line or a terminal; every
 * other character, Chinese included, as it is.
 */
public final class Quote {
  private static final int MAX_CHARS = 64;

  private Quote() {}

  public static String text(String value) {
    StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 8).append('"');
    int shown = 0;
    int i = 0;
    for (; i < value.length() && shown < MAX_CHARS; shown++) {
      int c = value.codePointAt(i);
      if (mustEscape(c)) {
        quoted.append(String.format("\\u%04x", c));
      } else {
        quoted.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    if (i < value.length()) {
      quoted.append("…");
    }
    return quoted.append('"').toString();
  }

  /**
   * Control characters, format characters (bidi overrides, zero-width) and the Unicode line and
   * paragraph separators: what could break or disguise a log line or a terminal.
   */
  private static boolean mustEscape(int c) {
    return Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT
        || c == 0x2028
        || c == 0x2029;
  }
}
