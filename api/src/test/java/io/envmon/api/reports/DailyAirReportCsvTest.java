package io.envmon.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.aqi.DailyAirQuality;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the daily air report as CSV (RFC 4180)")
class DailyAirReportCsvTest {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

  private static DailyAirReport.Row row(String name, String o3Reason) {
    Map<String, DailyAirReport.Pollutant> pollutants = new LinkedHashMap<>();
    for (var pollutant : DailyAirQuality.POLLUTANTS) {
      String key = pollutant.canonicalName();
      pollutants.put(
          key,
          key.equals("o3")
              ? new DailyAirReport.Pollutant(
                  "8h-max", "ug/m3", null, 13, null, 160, false, null, o3Reason)
              : new DailyAirReport.Pollutant(
                  "24h",
                  pollutant.unit(),
                  key.equals("co") ? 0.8 : 70.0,
                  24,
                  50,
                  60,
                  false,
                  null,
                  null));
    }
    return new DailyAirReport.Row(
        DAY,
        "POINT",
        "qingpu-air-01",
        name,
        "qingpu",
        "Asia/Shanghai",
        Instant.parse("2026-11-19T16:00:00Z"),
        Instant.parse("2026-11-20T16:00:00Z"),
        true,
        "HJ 633-2026",
        "GB 3095-2026",
        110,
        true,
        "110",
        "LIGHTLY_POLLUTED",
        "轻度污染",
        3,
        List.of("pm25"),
        List.of("pm25"),
        List.of("o3"),
        pollutants,
        null,
        null);
  }

  @Test
  @DisplayName("a cell with a comma or a quote is quoted, quotes doubled; lines end in CRLF")
  void quotesWhatNeedsIt() {
    String csv =
        DailyAirReportCsv.of(
            new DailyAirReport(
                DAY,
                DAY,
                List.of(row("站 \"A\"", "13 valid 8-h means; needs 14 (table 4, HJ 663)"))));

    String[] lines = csv.split("\r\n", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).isEmpty();
    assertThat(lines[1])
        .startsWith("2026-11-20,POINT,qingpu-air-01,\"站 \"\"A\"\"\",qingpu,Asia/Shanghai,true,")
        .contains(",,,false,\"13 valid 8-h means; needs 14 (table 4, HJ 663)\",")
        .contains(",0.8,50,false,,");
    assertThat(lines[0]).contains("o3_8h_max_ug/m3,o3_iaqi,o3_exceeds,o3_missing_reason");
  }
}
