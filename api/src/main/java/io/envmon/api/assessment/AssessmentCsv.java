package io.envmon.api.assessment;

import io.envmon.api.ratios.SharingRatioView;
import io.envmon.api.web.CsvLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The assessment as CSV (RFC 4180, UTF-8, CRLF): first the city's (or cluster's) line with the
 * score and b-values, then one line per point with its evidence; a column that does not apply to a
 * line is empty.
 */
final class AssessmentCsv {

  private AssessmentCsv() {}

  static String of(Assessment assessment) {
    List<String> header =
        new ArrayList<>(
            List.of(
                "at",
                "scope",
                "id",
                "name",
                "city",
                "kind",
                "status",
                "sharing",
                "shared_with",
                "in_denominator",
                "counted",
                "conditional",
                "reason",
                "reason_text",
                "reason_text_zh",
                "window_start",
                "last_valid_observed_at",
                "last_valid_received_at"));
    for (String kind : List.of("air", "water", "noise")) {
      header.add(kind + "_numerator");
      header.add(kind + "_denominator");
      header.add(kind + "_conditional");
      header.add(kind + "_value");
      header.add(kind + "_null_reason");
    }
    header.add("score");
    header.add("score_null_reason");
    header.add("agrees_with_scoreboard");
    StringBuilder csv = new StringBuilder();
    line(csv, header);
    List<Object> total =
        new ArrayList<>(
            List.of(
                assessment.at(),
                assessment.scope(),
                assessment.id(),
                assessment.name(),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                ""));
    for (SharingRatioView.Part part :
        List.of(assessment.air(), assessment.water(), assessment.noise())) {
      total.add(part.numerator());
      total.add(part.denominator());
      total.add(part.conditional());
      total.add(text(part.value()));
      total.add(text(part.nullReason()));
    }
    total.add(text(assessment.score()));
    total.add(text(assessment.scoreNullReason()));
    total.add(text(assessment.agreesWithScoreboard()));
    line(csv, total);
    for (Assessment.PointEvidence point : assessment.points()) {
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  assessment.at(),
                  "point",
                  point.id(),
                  point.name(),
                  point.cityId(),
                  point.kind(),
                  point.status(),
                  point.sharing(),
                  String.join(" ", point.sharedWith()),
                  point.inDenominator(),
                  point.counted(),
                  point.conditional(),
                  point.reason().code(),
                  point.reason().text(),
                  point.reason().textZh(),
                  point.windowStart(),
                  point.lastValidReading() == null ? "" : point.lastValidReading().observedAt(),
                  point.lastValidReading() == null
                      ? ""
                      : text(point.lastValidReading().receivedAt())));
      for (int i = 0; i < 18; i++) {
        cells.add("");
      }
      line(csv, cells);
    }
    return csv.toString();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static void line(StringBuilder csv, List<?> cells) {
    CsvLine.append(csv, cells);
  }
}
