package io.envmon.api.web;

import java.util.List;

/** One line of the API's CSV (RFC 4180: comma-separated, quoted where needed, CRLF). */
public final class CsvLine {

  private CsvLine() {}

  /** Appends the cells (null as empty) as one line, quoting those with , " CR or LF. */
  public static void append(StringBuilder csv, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      Object value = cells.get(i);
      String cell = value == null ? "" : value.toString();
      if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
        csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        csv.append(cell);
      }
    }
    csv.append("\r\n");
  }
}
