package io.envmon.api.reports;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The monthly water and daily noise reports as CSV: one line per row of the JSON answer. */
final class WaterAndNoiseReportCsv {

  private WaterAndNoiseReportCsv() {}

  static String water(WaterMonthlyReport report) {
    List<Parameter> items =
        Arrays.stream(Parameter.values()).filter(p -> p.kind() == PointKind.WATER).toList();
    List<String> header =
        new ArrayList<>(
            List.of(
                "month",
                "point",
                "name",
                "city",
                "river",
                "water_body",
                "important",
                "complete",
                "standard",
                "target_class",
                "section_class",
                "section_class_zh",
                "compliant",
                "determining_items",
                "items_worse_than_target"));
    for (Parameter item : items) {
      String name = item.canonicalName();
      header.add(name + "_mean_" + item.unit());
      header.add(name + "_samples");
      header.add(name + "_class");
      header.add(name + "_exceedance_multiple");
    }
    StringBuilder csv = new StringBuilder();
    Csv.line(csv, header);
    for (WaterMonthlyReport.Row row : report.rows()) {
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  report.month(),
                  row.pointId(),
                  row.name(),
                  row.cityId(),
                  Csv.text(row.river()),
                  row.waterBody(),
                  row.important(),
                  row.complete(),
                  row.standard(),
                  row.targetClass(),
                  Csv.text(row.sectionClass()),
                  Csv.text(row.sectionClassZh()),
                  Csv.text(row.compliant()),
                  String.join(" ", row.determiningItems()),
                  String.join(" ", row.itemsWorseThanTarget())));
      for (Parameter item : items) {
        WaterMonthlyReport.Item value = row.items().get(item.canonicalName());
        cells.add(value == null ? "" : Csv.number(value.mean()));
        cells.add(value == null ? "0" : value.samples());
        cells.add(value == null ? "" : Csv.text(value.itemClass()));
        cells.add(value == null ? "" : Csv.number(value.exceedanceMultiple()));
      }
      Csv.line(csv, cells);
    }
    return csv.toString();
  }

  static String noise(NoiseDailyReport report) {
    StringBuilder csv = new StringBuilder();
    Csv.line(
        csv,
        List.of(
            "date",
            "scope",
            "id",
            "name",
            "city",
            "zone",
            "night",
            "complete",
            "day_limit_dBA",
            "night_limit_dBA",
            "ld_dBA",
            "ln_dBA",
            "day_compliant",
            "night_compliant",
            "day_hours",
            "night_hours",
            "points",
            "day_evaluated",
            "day_compliant_points",
            "day_compliance_rate_pct",
            "night_evaluated",
            "night_compliant_points",
            "night_compliance_rate_pct"));
    for (NoiseDailyReport.Row row : report.rows()) {
      Csv.line(
          csv,
          List.of(
              row.date(),
              row.scope(),
              row.id(),
              row.name(),
              row.cityId(),
              row.zone(),
              row.night(),
              row.complete(),
              row.dayLimitDbA(),
              row.nightLimitDbA(),
              Csv.number(row.ldDbA()),
              Csv.number(row.lnDbA()),
              Csv.text(row.dayCompliant()),
              Csv.text(row.nightCompliant()),
              Csv.text(row.dayHours()),
              Csv.text(row.nightHours()),
              row.points() == null ? "" : String.join(" ", row.points()),
              Csv.text(row.dayEvaluated()),
              Csv.text(row.dayCompliantPoints()),
              Csv.number(row.dayComplianceRate()),
              Csv.text(row.nightEvaluated()),
              Csv.text(row.nightCompliantPoints()),
              Csv.number(row.nightComplianceRate())));
    }
    return csv.toString();
  }
}
