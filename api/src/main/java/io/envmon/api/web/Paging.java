package io.envmon.api.web;

import io.envmon.api.problem.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.uri.UriBuilder;
import java.util.List;

/**
 * One page of a list endpoint ({@code page} from 0, {@code size} per page) and its answer: a query
 * reads {@link #limit()} rows, one more than the page, from {@link #offset()}; when that extra row
 * came, a {@code Link: <…&page=n+1&size=…>; rel="next"} header (RFC 8288) names the next page.
 * Every paged list of the API answers so.
 */
public record Paging(int page, int size) {

  public static final int DEFAULT_SIZE = 100;
  public static final int MAX_SIZE = 1000;

  /** The request's page and size (defaults 0 and {@link #DEFAULT_SIZE}); 400 when out of range. */
  public static Paging of(@Nullable Integer page, @Nullable Integer size) {
    int number = page == null ? 0 : page;
    int perPage = size == null ? DEFAULT_SIZE : size;
    if (number < 0) {
      throw InvalidRequestException.field("page", "must be 0 or more, not " + number);
    }
    if (perPage < 1 || perPage > MAX_SIZE) {
      throw InvalidRequestException.field(
          "size", "must be between 1 and " + MAX_SIZE + ", not " + perPage);
    }
    return new Paging(number, perPage);
  }

  public long offset() {
    return (long) page * size;
  }

  /** The rows a query reads: the page and one more, which says whether a next page exists. */
  public int limit() {
    return size + 1;
  }

  /**
   * The answer of rows read with {@link #limit()}: the page's rows, and the next page's link when
   * more came. {@code self} is the request's path and filters, without page and size.
   */
  public <T> MutableHttpResponse<List<T>> answer(List<T> rows, UriBuilder self) {
    boolean more = rows.size() > size;
    MutableHttpResponse<List<T>> response =
        HttpResponse.ok(more ? List.copyOf(rows.subList(0, size)) : rows);
    return more ? withNext(response, self) : response;
  }

  /** Sets the Link header naming the page after this one. */
  public <T> MutableHttpResponse<T> withNext(MutableHttpResponse<T> response, UriBuilder self) {
    String next = self.queryParam("page", page + 1).queryParam("size", size).build().toString();
    return response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
  }
}
