package io.envmon.api.reports;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.web.CsvLine;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import java.util.List;

/**
 * The reports' CSV (RFC 4180, UTF-8, CRLF) and the choice between it and JSON: {@code format=csv}
 * or {@code Accept: text/csv}.
 */
final class Csv {

  static final String TEXT_CSV = "text/csv";

  private Csv() {}

  /** True for CSV, false for JSON; 400 naming {@code format} for anything else. */
  static boolean wanted(String format, String accept) {
    if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
      throw InvalidRequestException.field("format", "must be json or csv");
    }
    return "csv".equalsIgnoreCase(format)
        || (format == null && accept != null && accept.contains(TEXT_CSV));
  }

  /** The CSV as a download named {@code fileName}. */
  static HttpResponse<String> download(String csv, String fileName) {
    return HttpResponse.ok(csv)
        .contentType(TEXT_CSV + "; charset=utf-8")
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
  }

  static <T> HttpResponse<T> json(T body) {
    return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  /** 35.0 → 35, 0.8 → 0.8. */
  static String number(Double value) {
    if (value == null) {
      return "";
    }
    return value == Math.rint(value) ? Long.toString((long) value.doubleValue()) : value.toString();
  }

  static void line(StringBuilder csv, List<?> cells) {
    CsvLine.append(csv, cells);
  }
}
