package io.envmon.api.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReadingsTest {

  private static List<FileRow> rows(String csv, String forPoint) throws IOException {
    CsvReadings readings = new CsvReadings(new StringReader(csv), forPoint);
    List<FileRow> rows = new ArrayList<>();
    for (FileRow row = readings.next(); row != null; row = readings.next()) {
      rows.add(row);
    }
    return rows;
  }

  @Test
  void aRawExportRowIsOneReadingWithItsFlagsAndTheUtcTime() throws IOException {
    List<FileRow> rows =
        rows(
            "\uFEFFtime_local,time_utc,city,point,pm25 (ug/m3),pm25_flag,pm25_review,pm10 (ug/m3),"
                + "pm10_flag,source\r\n"
                + "2026-01-10T08:01:00+08:00,2026-01-10T00:01:00Z,wujiang,wujiang-air-01,35,M,"
                + "INVALID MAINTENANCE,,,MQTT\r\n",
            null);
    assertThat(rows).hasSize(1);
    FileRow.Parsed parsed = (FileRow.Parsed) rows.get(0);
    Instant at = Instant.parse("2026-01-10T00:01:00Z");
    assertThat(parsed.line()).isEqualTo(2);
    assertThat(parsed.reading())
        .isEqualTo(
            new Reading(
                Reading.idFor("wujiang-air-01", at),
                "wujiang-air-01",
                at,
                List.of(new Measurement(Parameter.PM25, 35, DataFlag.M)),
                Source.IMPORT));
  }

  @Test
  void quotedCellsMayHoldCommasQuotesAndLineBreaksAndLinesAreStillCounted() throws IOException {
    List<FileRow> rows =
        rows(
            "time,point,pm25\n"
                + "\"2026-01-10T00:01:00Z\",\"wujiang-air-01\",\"3\"\"\"\n"
                + "\n"
                + "2026-01-10T00:02:00Z,\"wujiang,\nair\",4\n"
                + "2026-01-10T00:03:00Z,wujiang-air-01,5\n",
            null);
    assertThat(rows).extracting(FileRow::line).containsExactly(2L, 4L, 6L);
    assertThat(((FileRow.Unreadable) rows.get(0)).refusals().get(0).detail())
        .isEqualTo("value '3\"' is not a number");
    assertThat(((FileRow.Parsed) rows.get(1)).reading().pointId()).isEqualTo("wujiang,\nair");
    assertThat(((FileRow.Parsed) rows.get(2)).reading().measurements().get(0).value()).isEqualTo(5);
  }

  @Test
  void aOnePointImportNeedsNoPointColumnAndRefusesRowsOfAnother() throws IOException {
    List<FileRow> rows = rows("time_utc,pm25\r\n2026-01-10T00:01:00Z,3\r\n", "wujiang-air-01");
    assertThat(((FileRow.Parsed) rows.get(0)).reading().pointId()).isEqualTo("wujiang-air-01");
    List<FileRow> other =
        rows("time_utc,point,pm25\r\n2026-01-10T00:01:00Z,qingpu-air-01,3\r\n", "wujiang-air-01");
    assertThat(((FileRow.Unreadable) other.get(0)).refusals().get(0).detail())
        .isEqualTo("this import is for point wujiang-air-01, the row is for qingpu-air-01");
  }

  @Test
  void headersThatCannotBeReadAreRefusedWhole() {
    assertThatThrownBy(() -> rows("time_utc,point,pm25 (mg/m3)\r\n", null))
        .hasMessageContaining("the unit of pm25 is ug/m3, not mg/m3");
    assertThatThrownBy(() -> rows("time_utc,point,pm25,pm25\r\n", null))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> rows("time_utc,point,pm10,pm25_flag\r\n", null))
        .hasMessageContaining("'pm25_flag' has no column of its values");
    assertThatThrownBy(() -> rows("time_utc,point\r\n", null))
        .hasMessageContaining("no parameter column");
    assertThatThrownBy(() -> rows("", null)).hasMessageContaining("the file is empty");
  }

  @Test
  void anUnclosedQuoteEndsTheFileAtItsLine() {
    assertThatThrownBy(() -> rows("time,point,pm25\n2026-01-10T00:01:00Z,\"wujiang,3\n", null))
        .isInstanceOf(CsvRecords.CsvException.class)
        .hasMessageContaining("line 3");
  }
}
