package io.envmon.api.sta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FilterParserTest {

  /** An entity's values by path, as StaEntity resolves them. */
  static boolean keeps(String filter, Map<String, Object> values) {
    return FilterParser.parse(filter).test(path -> values.get(path.toString()));
  }

  static final Map<String, Object> QINGPU_PM25 =
      Map.of(
          "name",
          "Qingpu pm25",
          "properties/city",
          "qingpu",
          "result",
          35.5,
          "phenomenonTime",
          Instant.parse("2026-01-10T08:00:00Z"));

  @Test
  @DisplayName("eq, ne, gt, ge, lt, le compare strings, numbers and instants")
  void comparisons() {
    assertThat(keeps("name eq 'Qingpu pm25'", QINGPU_PM25)).isTrue();
    assertThat(keeps("name ne 'Qingpu pm25'", QINGPU_PM25)).isFalse();
    assertThat(keeps("result gt 35", QINGPU_PM25)).isTrue();
    assertThat(keeps("result ge 35.5", QINGPU_PM25)).isTrue();
    assertThat(keeps("result lt 35.5", QINGPU_PM25)).isFalse();
    assertThat(keeps("result le 3.55e1", QINGPU_PM25)).isTrue();
    assertThat(keeps("phenomenonTime ge 2026-01-10T08:00:00Z", QINGPU_PM25)).isTrue();
    assertThat(keeps("phenomenonTime lt 2026-01-10T16:00:00+08:00", QINGPU_PM25)).isFalse();
    assertThat(keeps("phenomenonTime gt 2026-01-10T07:59:59.999Z", QINGPU_PM25)).isTrue();
  }

  @Test
  @DisplayName("and binds tighter than or; not and parentheses change that")
  void precedence() {
    assertThat(keeps("result gt 100 and name eq 'x' or properties/city eq 'qingpu'", QINGPU_PM25))
        .isTrue();
    assertThat(keeps("result gt 100 and (name eq 'x' or properties/city eq 'qingpu')", QINGPU_PM25))
        .isFalse();
    assertThat(keeps("not (result gt 100) and not properties/city eq 'wujiang'", QINGPU_PM25))
        .isTrue();
  }

  @Test
  @DisplayName("a literal on the left is the same comparison turned round")
  void literalOnTheLeft() {
    assertThat(keeps("30 lt result", QINGPU_PM25)).isTrue();
    assertThat(keeps("40 le result", QINGPU_PM25)).isFalse();
  }

  @Test
  @DisplayName("quotes in a string are doubled; missing values are null")
  void stringsAndNull() {
    Map<String, Object> values = new HashMap<>();
    values.put("name", "Taihu's edge");
    assertThat(keeps("name eq 'Taihu''s edge'", values)).isTrue();
    assertThat(keeps("description eq null", values)).isTrue();
    assertThat(keeps("description ne null", values)).isFalse();
    assertThat(keeps("description gt 3", values)).isFalse();
  }

  @Test
  @DisplayName("values of different types are not equal, and not ordered")
  void differentTypes() {
    assertThat(keeps("name eq 3", QINGPU_PM25)).isFalse();
    assertThat(keeps("name ne 3", QINGPU_PM25)).isTrue();
    assertThat(keeps("result gt '3'", QINGPU_PM25)).isFalse();
  }

  @Test
  @DisplayName("the parse tree: paths split at '/', numbers as decimals")
  void tree() {
    assertThat(FilterParser.parse("properties/city eq 'qingpu' and result ge 1.5"))
        .isEqualTo(
            new Filter.And(
                new Filter.Comparison(
                    Filter.Operator.EQ,
                    new Filter.Path(List.of("properties", "city")),
                    new Filter.Literal("qingpu")),
                new Filter.Comparison(
                    Filter.Operator.GE,
                    new Filter.Path(List.of("result")),
                    new Filter.Literal(new BigDecimal("1.5")))));
  }

  @Test
  @DisplayName("functions, arithmetic and bad syntax are refused with where and why")
  void refusals() {
    assertThatThrownBy(() -> FilterParser.parse("substringof('Qing', name)"))
        .isInstanceOf(FilterParser.FilterException.class)
        .hasMessageContaining("function substringof() is not supported");
    assertThatThrownBy(() -> FilterParser.parse("result add 5 gt 10"))
        .hasMessageContaining("operator 'add' is not supported");
    assertThatThrownBy(() -> FilterParser.parse("name eq Qingpu\""))
        .hasMessageContaining("cannot read");
    assertThatThrownBy(() -> FilterParser.parse("name eq 'x' and"))
        .hasMessageContaining("found the end");
    assertThatThrownBy(() -> FilterParser.parse("(name eq 'x'"))
        .hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> FilterParser.parse("name eq 'x' name"))
        .hasMessageContaining("expected and, or or the end");
    assertThatThrownBy(() -> FilterParser.parse("name eq description"))
        .hasMessageContaining("comparing two properties");
    assertThatThrownBy(() -> FilterParser.parse("1 eq 1"))
        .hasMessageContaining("a property on one side");
    assertThatThrownBy(() -> FilterParser.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> FilterParser.parse("phenomenonTime gt 2026-13-40T00:00:00Z"))
        .hasMessageContaining("not an ISO-8601 date-time");
  }

  @Test
  @DisplayName("nots and parentheses nest at most 32 deep; deeper is a FilterException")
  void depth() {
    String inside = "name eq 'Qingpu pm25'";
    assertThat(keeps("not ".repeat(32) + inside, QINGPU_PM25)).isTrue();
    assertThat(keeps("(".repeat(32) + inside + ")".repeat(32), QINGPU_PM25)).isTrue();
    assertThat(keeps("(not ".repeat(16) + inside + ")".repeat(16), QINGPU_PM25)).isTrue();
    assertThatThrownBy(() -> FilterParser.parse("not ".repeat(33) + inside))
        .isInstanceOf(FilterParser.FilterException.class)
        .hasMessageContaining("more than 32 nots and parentheses");
    // deep enough to overflow the stack of a parser without the limit
    assertThatThrownBy(() -> FilterParser.parse("(".repeat(100_000) + inside))
        .isInstanceOf(FilterParser.FilterException.class)
        .hasMessageContaining("more than 32");
    assertThatThrownBy(() -> FilterParser.parse("not (".repeat(50_000) + inside))
        .hasMessageContaining("more than 32");
  }

  @Test
  @DisplayName("a number whose exponent BigDecimal cannot hold is a FilterException naming it")
  void numberOutOfRange() {
    assertThatThrownBy(() -> FilterParser.parse("result gt 1e9999999999"))
        .isInstanceOf(FilterParser.FilterException.class)
        .hasMessageContaining("'1e9999999999' is not a number");
  }

  @Test
  @DisplayName("a Datastream's Observations are read over the hours the filter bounds")
  void timeBounds() {
    StaLimits limits =
        new StaLimits(java.time.Duration.ofHours(168), java.time.Duration.ofHours(744), 50);
    Instant now = Instant.parse("2026-12-03T07:25:00Z");
    assertThat(
            TimeBounds.of(
                    java.util.Optional.of(
                        FilterParser.parse(
                            "phenomenonTime ge 2026-01-10T00:30:00Z and result gt 3 and"
                                + " phenomenonTime lt 2026-01-11T00:00:00Z")))
                .window(now, limits))
        .isEqualTo(
            new TimeBounds.Window(
                Instant.parse("2026-01-10T00:00:00Z"), Instant.parse("2026-01-11T01:00:00Z")));
    assertThat(TimeBounds.of(java.util.Optional.empty()).window(now, limits))
        .isEqualTo(
            new TimeBounds.Window(
                Instant.parse("2026-11-26T08:00:00Z"), Instant.parse("2026-12-03T08:00:00Z")));
    // under or: no bound can be taken, so the default range
    assertThat(
            TimeBounds.of(
                    java.util.Optional.of(
                        FilterParser.parse(
                            "phenomenonTime ge 2026-01-10T00:00:00Z or result gt 3")))
                .window(now, limits)
                .from())
        .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThatThrownBy(
            () ->
                TimeBounds.of(
                        java.util.Optional.of(
                            FilterParser.parse("phenomenonTime ge 2025-01-01T00:00:00Z")))
                    .window(now, limits))
        .hasMessageContaining("at most 744 h");
    // hours InfluxDB cannot hold are cut off: an empty window, not a query it refuses
    assertThat(
            TimeBounds.of(
                    java.util.Optional.of(
                        FilterParser.parse("phenomenonTime lt 0001-01-01T00:00:00Z")))
                .window(now, limits))
        .matches(w -> !w.from().isBefore(w.to()));
    assertThat(
            TimeBounds.of(
                    java.util.Optional.of(
                        FilterParser.parse(
                            "phenomenonTime ge 2261-12-31T12:00:00Z and phenomenonTime lt 2262-01-10T00:00:00Z")))
                .window(now, limits))
        .isEqualTo(
            new TimeBounds.Window(
                Instant.parse("2261-12-31T12:00:00Z"), Instant.parse("2262-01-01T00:00:00Z")));
  }
}
