package io.envmon.api.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

  @Test
  void aRecordOfAsManyCellsAsAllowedIsRead() throws IOException {
    String line = ",".repeat(CsvRecords.MAX_CELLS - 1) + "\r\n";
    assertThat(new CsvRecords(new StringReader(line)).next().cells()).hasSize(CsvRecords.MAX_CELLS);
  }

  @Test
  void aLineOfEndlessCommasIsRefusedAtItsLineWithoutBeingReadToItsEnd() throws IOException {
    CountingCommas commas = new CountingCommas();
    CsvRecords records = new CsvRecords(commas);
    assertThatThrownBy(records::next)
        .isInstanceOf(CsvRecords.CsvException.class)
        .hasMessage("line 1: a record has more than " + CsvRecords.MAX_CELLS + " cells");
    assertThat(commas.read).isEqualTo(CsvRecords.MAX_CELLS);
  }

  @Test
  void aGbkFileIsRefusedAsNotUtf8RatherThanReadWithGarbledNames() throws IOException {
    byte[] gbk =
        "time_utc,point,pm25\r\n2022-06-03T00:00:00Z,吴江-01,3\r\n".getBytes(Charset.forName("GBK"));
    CsvRecords records = new CsvRecords(CsvRecords.utf8(new ByteArrayInputStream(gbk)));
    assertThatThrownBy(
            () -> {
              while (records.next() != null) {}
            })
        .isInstanceOf(CsvRecords.NotUtf8Exception.class)
        .hasMessageContaining("the file is not UTF-8")
        .hasMessageContaining("save it as UTF-8 CSV");
  }

  /** An endless line of commas that counts how many were read. */
  private static final class CountingCommas extends Reader {
    long read;

    @Override
    public int read() {
      read++;
      return ',';
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      buffer[offset] = (char) read();
      return 1;
    }

    @Override
    public void close() {}
  }
}
