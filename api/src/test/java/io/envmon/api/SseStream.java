package io.envmon.api;

import io.micronaut.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscriber of {@code /api/v1/alerts/stream} that parses the wire format itself (JDK client):
 * comment lines (the heartbeats) are skipped as the SSE spec says, each event is collected with its
 * id, name and JSON data. Micronaut's SseClient (4.10) stops delivering events after a comment-only
 * block, so the tests do not use it.
 */
public final class SseStream implements AutoCloseable {

  /** One event of the stream. */
  public record Received(String id, String name, Map<String, Object> data) {}

  private final InputStream body;
  private final List<Received> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private volatile boolean ended;

  private SseStream(InputStream body, JsonMapper json) {
    this.body = body;
    Thread reader = new Thread(() -> read(json), "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream for the token, resuming after {@code lastEventId} when not null. */
  public static SseStream open(ApiTestServer api, String token, String lastEventId)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.server.getURL() + "/api/v1/alerts/stream"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IllegalStateException("stream answered " + response.statusCode());
    }
    return new SseStream(
        response.body(), api.server.getApplicationContext().getBean(JsonMapper.class));
  }

  public List<Received> events() {
    return events;
  }

  public List<String> comments() {
    return comments;
  }

  /** Whether the server ended the stream. */
  public boolean ended() {
    return ended;
  }

  @SuppressWarnings("unchecked")
  private void read(JsonMapper json) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Received(id, name, json.readValue(data.toString(), Map.class)));
          }
          id = null;
          name = null;
          data = null;
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> id = value;
            case "event" -> name = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {}
          }
        }
      }
      ended = true;
    } catch (IOException e) {
      // closed
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("bad event on the stream", e));
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
