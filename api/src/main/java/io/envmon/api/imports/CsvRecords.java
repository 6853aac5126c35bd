package io.envmon.api.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records (quoted cells with doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF) one at a time, so a file of any size is read in constant memory. Knows the line each
 * record starts on.
 */
final class CsvRecords {

  /** One record and the line it starts on (1-based). */
  record Line(long number, List<String> cells) {}

  /** The longest cell taken: a file whose quote never closes is not read to its end into memory. */
  static final int MAX_CELL_CHARS = 4096;

  /** The most cells a record may have: a line of millions of commas is not read into memory. */
  static final int MAX_CELLS = 1024;

  private final Reader in;
  private long line = 1;
  private int pushedBack = -2;

  CsvRecords(Reader in) {
    this.in = in;
  }

  /**
   * {@code in} read as UTF-8 that refuses, rather than replaces, bytes that are not UTF-8 (a GBK
   * file saved by Excel): the upload's check and the import read the file through this one reader.
   */
  static Reader utf8(InputStream in) {
    return new BufferedReader(
        new InputStreamReader(
            in,
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)),
        65_536);
  }

  /** The next record, null at the end of the file. Blank lines are skipped. */
  Line next() throws IOException {
    while (true) {
      int c = read();
      if (c == -1) {
        return null;
      }
      if (c == '\r' || c == '\n') {
        endOfLine(c);
        continue;
      }
      unread(c);
      long start = line;
      return new Line(start, cells());
    }
  }

  private List<String> cells() throws IOException {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      int c = read();
      if (quoted) {
        if (c == -1) {
          throw new CsvException(line, "a quoted cell is not closed before the end of the file");
        }
        if (c == '"') {
          int after = read();
          if (after == '"') {
            append(cell, '"');
          } else {
            quoted = false;
            unread(after);
          }
        } else {
          if (c == '\n' || (c == '\r')) {
            line += c == '\n' ? 1 : 0;
          }
          append(cell, (char) c);
        }
        continue;
      }
      if (c == '"' && cell.isEmpty() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        if (cells.size() + 1 >= MAX_CELLS) {
          throw new CsvException(line, "a record has more than " + MAX_CELLS + " cells");
        }
        cells.add(cell.toString());
        cell.setLength(0);
        wasQuoted = false;
      } else if (c == -1 || c == '\r' || c == '\n') {
        cells.add(cell.toString());
        if (c != -1) {
          endOfLine(c);
        }
        return cells;
      } else {
        append(cell, (char) c);
      }
    }
  }

  private void append(StringBuilder cell, char c) {
    if (cell.length() >= MAX_CELL_CHARS) {
      throw new CsvException(line, "a cell is longer than " + MAX_CELL_CHARS + " characters");
    }
    cell.append(c);
  }

  private void endOfLine(int c) throws IOException {
    if (c == '\r') {
      int after = read();
      if (after != '\n') {
        unread(after);
      }
    }
    line++;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    try {
      return in.read();
    } catch (CharacterCodingException e) {
      throw new NotUtf8Exception(line);
    }
  }

  private void unread(int c) {
    pushedBack = c;
  }

  /** The file cannot be read as CSV from {@code line} on. */
  static class CsvException extends RuntimeException {
    final long line;

    CsvException(long line, String message) {
      super("line " + line + ": " + message);
      this.line = line;
    }
  }

  /** The file is not UTF-8: the whole file is refused, none of its names is guessed at. */
  static final class NotUtf8Exception extends CsvException {
    NotUtf8Exception(long line) {
      super(
          line,
          "the file is not UTF-8 (bytes that are no UTF-8 character from about this line;"
              + " a CSV saved by Excel is often GBK); save it as UTF-8 CSV (Excel: Save As,"
              + " \"CSV UTF-8\") and upload it again");
    }
  }
}
