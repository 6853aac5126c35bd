package io.envmon.api.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkedBodyTest {

  static final int ROWS_PER_PAGE = 1000;
  static final int YEAR_OF_MINUTES = 366 * 24 * 60;

  /** A year of one-minute rows made a page at a time, counting the bytes made so far. */
  static final class Pages implements Iterator<byte[]> {
    final Instant start = Instant.parse("2025-01-01T00:00:00Z");
    int rowsMade;
    long bytesMade;
    int largestPage;

    @Override
    public boolean hasNext() {
      return rowsMade < YEAR_OF_MINUTES;
    }

    @Override
    public byte[] next() {
      StringBuilder page = new StringBuilder();
      for (int i = 0; i < ROWS_PER_PAGE && rowsMade < YEAR_OF_MINUTES; i++, rowsMade++) {
        Instant time = start.plus(Duration.ofMinutes(rowsMade));
        page.append(ExportLines.local(time, java.time.ZoneId.of("Asia/Shanghai")))
            .append(',')
            .append(time)
            .append(",qingpu,qingpu-air-01,35,N,60,N,MQTT\r\n");
      }
      byte[] bytes = page.toString().getBytes(StandardCharsets.UTF_8);
      bytesMade += bytes.length;
      largestPage = Math.max(largestPage, bytes.length);
      return bytes;
    }
  }

  @Test
  @DisplayName("a year of rows streams with at most one page made ahead of what was read")
  void makesAPageOnlyWhenTheOneBeforeIsRead() throws Exception {
    Pages pages = new Pages();
    long read = 0;
    long mostAhead = 0;
    byte[] buffer = new byte[8192];
    try (InputStream body = new ChunkedBody(pages)) {
      int count;
      while ((count = body.read(buffer, 0, buffer.length)) != -1) {
        read += count;
        mostAhead = Math.max(mostAhead, pages.bytesMade - read);
      }
    }
    assertThat(pages.rowsMade).isEqualTo(YEAR_OF_MINUTES);
    assertThat(read).isEqualTo(pages.bytesMade).isGreaterThan(30_000_000L);
    assertThat(mostAhead).isLessThan(pages.largestPage).isLessThan(100_000L);
  }

  @Test
  @DisplayName("empty pages are skipped, and the end is -1")
  void skipsEmptyPages() throws Exception {
    Iterator<byte[]> chunks =
        java.util.List.of(new byte[0], "a".getBytes(), new byte[0], "bc".getBytes()).iterator();
    try (InputStream body = new ChunkedBody(chunks)) {
      assertThat(new String(body.readAllBytes())).isEqualTo("abc");
      assertThat(body.read()).isEqualTo(-1);
    }
  }
}
