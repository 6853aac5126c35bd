package io.envmon.domain.wire;

/**
 * Lines of InfluxDB 1.x line protocol, written into one buffer for one write request: {@code
 * measurement,tag=value field=1.5,flag="N" 1733198400000} with times in milliseconds (the writes
 * say {@code precision=ms}). Every envmon writer of points uses it rather than influxdb-java's
 * {@code Point}, which was slower (docs/performance.md "Fixed costs").
 *
 * <p>Escaping follows the line protocol reference: commas and spaces in a measurement; commas,
 * equals signs and spaces in tag keys, tag values and field keys; double quotes and backslashes in
 * string field values. A line break in a string field is written as a space; a tag with a null or
 * empty value is left out, as InfluxDB requires.
 */
public final class LineProtocol {

  private final StringBuilder out;
  private int lines;
  private int lineStart = -1;
  private boolean hasField;

  public LineProtocol() {
    this.out = new StringBuilder(8192);
  }

  /** Starts a line; the one before must have ended with {@link #time}. */
  public LineProtocol measurement(String name) {
    if (lineStart >= 0) {
      throw new IllegalStateException("the line before has no time yet: " + current());
    }
    lineStart = out.length();
    hasField = false;
    escape(name, false);
    return this;
  }

  /** A tag, before the line's first field; left out when {@code value} is null or empty. */
  public LineProtocol tag(String key, String value) {
    open();
    if (hasField) {
      throw new IllegalStateException("tag " + key + " after a field: " + current());
    }
    if (value == null || value.isEmpty()) {
      return this;
    }
    out.append(',');
    escape(key, true);
    out.append('=');
    escape(value, true);
    return this;
  }

  /**
   * A float field.
   *
   * @throws IllegalArgumentException for NaN and infinities, which InfluxDB cannot store
   */
  public LineProtocol field(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(key + " is " + value + ": InfluxDB stores finite numbers");
    }
    fieldKey(key).append(value);
    return this;
  }

  /** An integer field ({@code 12i}). */
  public LineProtocol field(String key, long value) {
    fieldKey(key).append(value).append('i');
    return this;
  }

  public LineProtocol field(String key, boolean value) {
    fieldKey(key).append(value);
    return this;
  }

  /** A string field, quoted. */
  public LineProtocol field(String key, String value) {
    fieldKey(key).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n' || c == '\r') {
        out.append(' ');
      } else {
        out.append(c);
      }
    }
    out.append('"');
    return this;
  }

  /** Ends the line at {@code epochMillis}. */
  public LineProtocol time(long epochMillis) {
    open();
    if (!hasField) {
      throw new IllegalStateException("a line needs a field: " + current());
    }
    out.append(' ').append(epochMillis).append('\n');
    lineStart = -1;
    lines++;
    return this;
  }

  /** Complete lines written since the last {@link #clear}. */
  public int lines() {
    return lines;
  }

  public boolean isEmpty() {
    return lines == 0;
  }

  /** The complete lines, for one write request. */
  public String text() {
    if (lineStart >= 0) {
      throw new IllegalStateException("the last line has no time yet: " + current());
    }
    return out.toString();
  }

  public void clear() {
    out.setLength(0);
    lines = 0;
    lineStart = -1;
  }

  private StringBuilder fieldKey(String key) {
    open();
    out.append(hasField ? ',' : ' ');
    hasField = true;
    escape(key, true);
    return out.append('=');
  }

  private void open() {
    if (lineStart < 0) {
      throw new IllegalStateException("no measurement started");
    }
  }

  private String current() {
    return out.substring(lineStart < 0 ? out.length() : lineStart);
  }

  private void escape(String text, boolean equalsSign) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ',' || c == ' ' || (equalsSign && c == '=')) {
        out.append('\\');
      }
      out.append(c);
    }
  }
}
