package io.envmon.api.sta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.api.problem.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueryOptionsTest {

  static QueryOptions of(String... nameValues) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      parameters.put(nameValues[i], nameValues[i + 1]);
    }
    return QueryOptions.of(parameters);
  }

  @Test
  @DisplayName("$top is the page size, at most 1000; 100 without it")
  void pageSize() {
    assertThat(of().pageSize()).isEqualTo(100);
    assertThat(of("$top", "5").pageSize()).isEqualTo(5);
    assertThat(of("$top", "5000").pageSize()).isEqualTo(1000);
  }

  @Test
  @DisplayName("$orderby keys with asc and desc")
  void orderBy() {
    assertThat(of("$orderby", "phenomenonTime desc, properties/city,name asc").orderBy())
        .containsExactly(
            new QueryOptions.OrderBy(new Filter.Path(List.of("phenomenonTime")), true),
            new QueryOptions.OrderBy(new Filter.Path(List.of("properties", "city")), false),
            new QueryOptions.OrderBy(new Filter.Path(List.of("name")), false));
  }

  @Test
  @DisplayName("$expand items with nested options, and the a/b shorthand")
  void expand() {
    QueryOptions options =
        of(
            "$expand",
            "Datastreams($top=2;$orderby=id desc;$filter=name ne 'a;b';"
                + "$expand=Observations($top=1)),Locations,Datastreams/Sensor");
    assertThat(options.expand()).hasSize(3);
    QueryOptions.Expand datastreams = options.expand().get(0);
    assertThat(datastreams.navigation()).isEqualTo("Datastreams");
    assertThat(datastreams.options().pageSize()).isEqualTo(2);
    assertThat(datastreams.options().filter()).isPresent();
    assertThat(datastreams.options().expand().get(0).navigation()).isEqualTo("Observations");
    assertThat(datastreams.options().expand().get(0).options().pageSize()).isEqualTo(1);
    assertThat(options.expand().get(1).navigation()).isEqualTo("Locations");
    assertThat(options.expand().get(2).navigation()).isEqualTo("Datastreams");
    assertThat(options.expand().get(2).options().expand().get(0).navigation()).isEqualTo("Sensor");
  }

  @Test
  @DisplayName("unknown and malformed options are 400 naming the option")
  void refusals() {
    assertThatThrownBy(() -> of("$resultFormat", "dataArray"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("$resultFormat: is not supported");
    assertThatThrownBy(() -> of("$top", "-1")).hasMessageContaining("$top");
    assertThatThrownBy(() -> of("$top", "x")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> of("$count", "yes")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> of("$orderby", "name sideways")).hasMessageContaining("asc nor desc");
    assertThatThrownBy(() -> of("$expand", "Datastreams($top=1"))
        .hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> of("$filter", "startswith(name,'Q')"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("$filter: $filter at 1: the function startswith()");
    assertThat(of("city", "qingpu").filter()).isEmpty();
  }

  @Test
  @DisplayName("$expand nests at most three deep; deeper is a 400, as each level multiplies")
  void expandDepth() {
    QueryOptions three =
        QueryOptions.of(Map.of("$expand", "Datastreams($expand=Thing($expand=Datastreams))"));
    assertThat(three.expand().get(0).options().expand().get(0).options().expand()).hasSize(1);
    assertThatThrownBy(
            () ->
                QueryOptions.of(
                    Map.of(
                        "$expand",
                        "Datastreams($expand=Thing($expand=Datastreams($expand=Thing)))")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 3 $expand");
    assertThat(QueryOptions.of(Map.of("$expand", "Datastreams/Thing/Locations")).expand())
        .hasSize(1);
    assertThatThrownBy(
            () -> QueryOptions.of(Map.of("$expand", "Datastreams/Thing/Datastreams/Thing")))
        .hasMessageContaining("at most 3 $expand");
  }
}
