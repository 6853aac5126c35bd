package io.envmon.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteTest {

  @Test
  void controlCharactersAreEscapedAndTheRestIsKept() {
    assertThat(Quote.text("a\r\nb\u007f\u0085")).isEqualTo("\"a\\u000d\\u000ab\\u007f\\u0085\"");
    assertThat(Quote.text("断面 w01")).isEqualTo("\"断面 w01\"");
  }

  @Test
  void longTextIsClipped() {
    assertThat(Quote.text("x".repeat(100))).isEqualTo("\"" + "x".repeat(64) + "…\"");
  }

  @Test
  void formatCharactersAndSeparatorsAreEscapedAndASurrogatePairIsNeverSplit() {
    assertThat(Quote.text("a\u202eb\u2028c\u200bd")).isEqualTo("\"a\\u202eb\\u2028c\\u200bd\"");
    String emoji = "\uD83C\uDF2B"; // one code point, two chars
    String text = "x".repeat(63) + emoji + "tail";
    assertThat(Quote.text(text)).isEqualTo("\"" + "x".repeat(63) + emoji + "…\"");
  }
}
