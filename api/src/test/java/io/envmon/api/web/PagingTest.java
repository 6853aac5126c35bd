package io.envmon.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.api.problem.InvalidRequestException;
import io.micronaut.http.uri.UriBuilder;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PagingTest {

  @Test
  @DisplayName("page 0 of 100 by default; a page and size out of range are 400 naming the field")
  void defaultsAndLimits() {
    assertThat(Paging.of(null, null)).isEqualTo(new Paging(0, 100));
    assertThat(Paging.of(3, 20).offset()).isEqualTo(60);
    assertThat(Paging.of(3, 20).limit()).isEqualTo(21);
    assertThatThrownBy(() -> Paging.of(-1, 10))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("page");
    assertThatThrownBy(() -> Paging.of(0, 1001))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("size");
    assertThatThrownBy(() -> Paging.of(0, 0)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  @DisplayName("the row read past the page is left out and names the next page in a Link header")
  void nextLinkOnlyWhenMoreCame() {
    Paging paging = Paging.of(1, 2);
    var more = paging.answer(List.of("c", "d", "e"), UriBuilder.of("/x").queryParam("q", "a b"));
    assertThat(more.body()).containsExactly("c", "d");
    assertThat(more.getHeaders().get("Link")).isEqualTo("</x?q=a+b&page=2&size=2>; rel=\"next\"");
    var last = paging.answer(List.of("c", "d"), UriBuilder.of("/x"));
    assertThat(last.body()).containsExactly("c", "d");
    assertThat(last.getHeaders().get("Link")).isNull();
  }
}
