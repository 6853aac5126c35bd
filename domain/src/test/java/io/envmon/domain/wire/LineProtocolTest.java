package io.envmon.domain.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineProtocolTest {

  @Test
  void writesTagsFieldsOfEachTypeAndTheTimeInOrder() {
    LineProtocol lines = new LineProtocol();
    lines
        .measurement("reading")
        .tag("city", "qingpu")
        .tag("point", "qingpu-air-01")
        .field("pm25", 35.0)
        .field("pm25_flag", "N")
        .field("count", 3L)
        .field("late", true)
        .time(1_764_720_000_000L);
    lines.measurement("sweep").field("tiny", 1.0e-5).field("huge", 1.5e21).time(1L);
    assertThat(lines.text())
        .isEqualTo(
            "reading,city=qingpu,point=qingpu-air-01 pm25=35.0,pm25_flag=\"N\",count=3i,late=true"
                + " 1764720000000\n"
                + "sweep tiny=1.0E-5,huge=1.5E21 1\n");
    assertThat(lines.lines()).isEqualTo(2);
  }

  @Test
  void escapesAsTheLineProtocolReferenceSays() {
    LineProtocol lines = new LineProtocol();
    lines
        .measurement("a b,c=d")
        .tag("k ey", "v,a=l ue")
        .tag("empty", "")
        .tag("absent", null)
        .field("f=k", "say \"hi\" \\ then\nnext")
        .time(0);
    assertThat(lines.text())
        .isEqualTo("a\\ b\\,c=d,k\\ ey=v\\,a\\=l\\ ue f\\=k=\"say \\\"hi\\\" \\\\ then next\" 0\n");
  }

  @Test
  void refusesWhatInfluxDbCannotStoreOrALineWithoutAField() {
    LineProtocol lines = new LineProtocol();
    lines.measurement("m");
    assertThatThrownBy(() -> lines.field("v", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v is NaN");
    assertThatThrownBy(() -> lines.time(1)).hasMessageContaining("needs a field");
    lines.field("v", 1.0);
    assertThatThrownBy(() -> lines.tag("t", "x")).hasMessageContaining("after a field");
    assertThatThrownBy(lines::text).hasMessageContaining("no time yet");
    lines.time(1);
    lines.clear();
    assertThat(lines.isEmpty()).isTrue();
    assertThat(lines.text()).isEmpty();
  }
}
