package io.envmon.api.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * The browser security headers of every answer. The dashboard and the API get a Content-Security-
 * Policy that allows only the API's own scripts, styles, images and connections: no inline script
 * and no inline style, no other origin, no framing. Swagger UI's generated page starts with one
 * inline script: the policy of {@code /swagger-ui/**} allows exactly that script by its SHA-256
 * (computed from the page at start) and the inline styles its components set.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class SecurityHeaders implements HttpServerFilter {

  static final String DASHBOARD_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private final String swaggerUiPolicy;

  public SecurityHeaders(
      ResourceResolver resources,
      @Value("${micronaut.router.static-resources.swagger-ui.paths}") String swaggerUiPaths) {
    this.swaggerUiPolicy =
        "default-src 'none'; script-src 'self'"
            + inlineScriptHashes(resources, swaggerUiPaths + "/index.html")
            + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
            + " font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  /** Outermost, so that the answers of the other filters (a 401 of the security filter) get it. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    return Publishers.map(
        chain.proceed(request),
        response -> {
          addHeaders(request, response);
          return response;
        });
  }

  private void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
    var headers = response.getHeaders();
    headers.set(
        "Content-Security-Policy",
        request.getPath().startsWith("/swagger-ui/") ? swaggerUiPolicy : DASHBOARD_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  }

  /** {@code 'sha256-…'} of each inline script of the page, or nothing when it is not there. */
  static String inlineScriptHashes(ResourceResolver resources, String page) {
    return resources
        .getResourceAsStream(page)
        .map(
            in -> {
              try (InputStream stream = in) {
                return hashes(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new UncheckedIOException("reading " + page, e);
              }
            })
        .orElse("");
  }

  static String hashes(String html) {
    List<String> hashes = new ArrayList<>();
    Matcher scripts = INLINE_SCRIPT.matcher(html);
    while (scripts.find()) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(scripts.group(1).getBytes(StandardCharsets.UTF_8));
        hashes.add(" 'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
    return String.join("", hashes);
  }
}
