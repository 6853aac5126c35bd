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
}
