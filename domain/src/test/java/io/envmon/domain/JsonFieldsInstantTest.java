package io.envmon.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written instant reader and writer agree with the JDK's everywhere. */
class JsonFieldsInstantTest {

  @Test
  void randomInstantsRoundTripExactlyAsTheJdkWritesAndReadsThem() throws Exception {
    SplittableRandom random = new SplittableRandom(20261203);
    long from = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = i < 1000 ? to - i : random.nextLong(from, to + 1);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String jdk = instant.toString();
      assertThat(JsonFields.isoInstant(instant)).isEqualTo(jdk);
      assertThat(JsonFields.instant(jdk, "t")).isEqualTo(instant);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-03T02:00:00.1Z",
        "2026-12-03T02:00:00.12Z",
        "2026-12-03T02:00:00.1234Z",
        "2026-12-03T02:00:00.12345678Z",
        "2024-02-29T23:59:59Z",
        "2026-12-03t02:00:00z",
        "2026-12-03T10:00:00+08:00",
        "+12026-12-03T02:00:00Z",
        "-0001-12-03T02:00:00Z",
        "2026-12-03T23:59:60Z",
        "2026-12-03T24:00:00Z",
        "2026-12-03T02:00:00.Z"
      })
  void otherFormsAreReadAsTheJdkReadsThem(String text) throws Exception {
    assertThat(JsonFields.instant(text, "t")).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-12-00T00:00:00Z",
        "2026-12-03T02:60:00Z",
        "2026-12-03T02:00:00.1234567890Z",
        "2026-12-03T02:00:0xZ",
        "2026-12-03 02:00:00Z",
        "2026-12-03T02:00:00",
        "２０２６-12-03T02:00:00Z",
        ""
      })
  void whatTheJdkRefusesIsRefusedNamingTheField(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> JsonFields.instant(text, "observedAt"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("observedAt");
  }
}
