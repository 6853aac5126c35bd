package io.envmon.api.reports;

import io.envmon.domain.aqi.DailyAirQuality;
import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The daily air report as CSV (RFC 4180, UTF-8, CRLF): one line per row of the JSON answer, the
 * pollutants as column groups {@code <p>}, {@code <p>_iaqi}, {@code <p>_exceeds}, {@code
 * <p>_missing_reason}; lists joined by a space.
 */
final class DailyAirReportCsv {

  private DailyAirReportCsv() {}

  static String of(DailyAirReport report) {
    List<String> header =
        new ArrayList<>(
            List.of(
                "date",
                "scope",
                "id",
                "name",
                "city",
                "time_zone",
                "complete",
                "aqi_standard",
                "limits_standard",
                "aqi",
                "aqi_published",
                "category",
                "category_zh",
                "primary_pollutants",
                "exceedances",
                "missing_pollutants"));
    for (Parameter pollutant : DailyAirQuality.POLLUTANTS) {
      String name = pollutant.canonicalName();
      String unit = pollutant.unit();
      header.add(pollutant == Parameter.O3 ? name + "_8h_max_" + unit : name + "_24h_" + unit);
      header.add(name + "_iaqi");
      header.add(name + "_exceeds");
      header.add(name + "_missing_reason");
    }
    header.add("points");
    header.add("points_without_data");
    StringBuilder csv = new StringBuilder();
    Csv.line(csv, header);
    for (DailyAirReport.Row row : report.rows()) {
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  row.date(),
                  row.scope(),
                  row.id(),
                  row.name(),
                  Csv.text(row.cityId()),
                  Csv.text(row.timeZone()),
                  row.complete(),
                  row.aqiStandard(),
                  row.limitsStandard(),
                  Csv.text(row.aqiText()),
                  row.aqiPublished(),
                  Csv.text(row.category()),
                  Csv.text(row.categoryZh()),
                  String.join(" ", row.primaryPollutants()),
                  String.join(" ", row.exceedances()),
                  String.join(" ", row.missingPollutants())));
      for (Parameter pollutant : DailyAirQuality.POLLUTANTS) {
        DailyAirReport.Pollutant value = row.pollutants().get(pollutant.canonicalName());
        cells.add(value.value() == null ? "" : Csv.number(value.value()));
        cells.add(Csv.text(value.iaqi()));
        cells.add(value.exceeds());
        cells.add(Csv.text(value.missingReason()));
      }
      cells.add(row.points() == null ? "" : String.join(" ", row.points()));
      cells.add(row.pointsWithoutData() == null ? "" : String.join(" ", row.pointsWithoutData()));
      Csv.line(csv, cells);
    }
    return csv.toString();
  }
}
