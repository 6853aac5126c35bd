package io.envmon.api;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;

/** Short forms of the HTTP calls the integration tests make. */
public final class ApiCalls {

  private final ApiTestServer api;

  public ApiCalls(ApiTestServer api) {
    this.api = api;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> getObject(String token, String uri) {
    return api.http().retrieve(HttpRequest.GET(uri).bearerAuth(token), Map.class);
  }

  public List<Map<String, Object>> getList(String token, String uri) {
    return api.http()
        .retrieve(
            HttpRequest.GET(uri).bearerAuth(token),
            Argument.listOf(Argument.mapOf(String.class, Object.class)));
  }

  /** The status code a request fails with (it must fail). */
  public int failureStatus(MutableHttpRequest<?> request) {
    return failure(request).getStatus().getCode();
  }

  public HttpClientResponseException failure(MutableHttpRequest<?> request) {
    HttpClientResponseException e =
        catchThrowableOfType(
            HttpClientResponseException.class, () -> api.http().exchange(request, Map.class));
    if (e == null) {
      throw new AssertionError("expected " + request.getUri() + " to fail, but it succeeded");
    }
    return e;
  }
}
