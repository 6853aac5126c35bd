package io.envmon.gateway.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.Gateway;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} (JSON, 503 when the spool is full) and {@code GET /metrics} (Prometheus text
 * format 0.0.4) on a small HTTP port.
 */
public final class HealthServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Gateway gateway;
  private final HttpServer server;

  public HealthServer(InetSocketAddress bind, Gateway gateway) throws IOException {
    this.gateway = gateway;
    this.server = HttpServer.create(bind, 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "health-http");
              thread.setDaemon(true);
              return thread;
            }));
    server.createContext("/health", this::health);
    server.createContext("/metrics", this::metrics);
  }

  public HealthServer start() {
    server.start();
    log.info("health: http://{}/health and /metrics", server.getAddress());
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange exchange) throws IOException {
    var spool = gateway.spool();
    boolean full = spool.sizeBytes() >= spool.capBytes() * 0.99;
    String lastError = gateway.forwarder().lastError();
    String status = full ? "SPOOL_FULL" : lastError.isEmpty() ? "UP" : "KAFKA_UNREACHABLE";
    String body =
        "{\"status\":\""
            + status
            + "\",\"cityId\":\""
            + gateway.config().cityId()
            + "\",\"gatewayId\":\""
            + gateway.config().gatewayId()
            + "\",\"registryPoints\":"
            + gateway.registry().size()
            + ",\"spoolDepth\":"
            + spool.depth()
            + ",\"spoolBytes\":"
            + spool.sizeBytes()
            + ",\"spoolCapBytes\":"
            + spool.capBytes()
            + ",\"throttledDevices\":"
            + throttledDevices()
            + (gateway.hj212() == null
                ? ""
                : ",\"hj212StationsOnline\":"
                    + gateway.hj212().stationsOnline()
                    + ",\"hj212Devices\":"
                    + hj212Devices())
            + "}";
    // Kafka being down is not a failure of the gateway: it keeps accepting until the spool is full.
    respond(exchange, full ? 503 : 200, "application/json", body);
  }

  /**
   * Per HJ 212 station with something to say: {@code {"station-7":{"tolerated":{"crc-modbus":3},
   * "unknownFactors":{"a99001":3}}}}: what the gateway took from it against the standard.
   */
  private String hj212Devices() {
    var packets = gateway.hj212().packets();
    Map<String, Map<String, Long>> tolerated = packets.toleratedByDevice();
    Map<String, Map<String, Long>> unknown = packets.unknownFactorsByDevice();
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      TreeSet<String> devices = new TreeSet<>(tolerated.keySet());
      devices.addAll(unknown.keySet());
      for (String device : devices) {
        json.writeObjectFieldStart(device);
        writeCounts(json, "tolerated", tolerated.getOrDefault(device, Map.of()));
        writeCounts(json, "unknownFactors", unknown.getOrDefault(device, Map.of()));
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Readings refused by each device's rate limit: {@code {"station-7":120}}. */
  private String throttledDevices() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      for (Map.Entry<String, Long> entry :
          gateway.intake().limiter().throttledByDevice().entrySet()) {
        json.writeNumberField(entry.getKey(), entry.getValue());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeCounts(JsonGenerator json, String name, Map<String, Long> counts)
      throws IOException {
    json.writeObjectFieldStart(name);
    for (Map.Entry<String, Long> entry : new TreeMap<>(counts).entrySet()) {
      json.writeNumberField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }

  private void metrics(HttpExchange exchange) throws IOException {
    StringBuilder out = new StringBuilder(2048);
    var intake = gateway.intake();
    var spool = gateway.spool();
    counter(
        out, "envmon_gateway_received_total", "Readings and records received", intake.received());
    counter(out, "envmon_gateway_accepted_total", "Readings spooled", intake.accepted());
    out.append("# HELP envmon_gateway_refused_total Refusals by reason\n");
    out.append("# TYPE envmon_gateway_refused_total counter\n");
    for (Map.Entry<RefusalReason, Long> entry : intake.refusals().snapshot().entrySet()) {
      out.append("envmon_gateway_refused_total{reason=\"")
          .append(entry.getKey().code())
          .append("\"} ")
          .append(entry.getValue())
          .append('\n');
    }
    out.append(
        "# HELP envmon_gateway_throttled_total Readings refused by a device's rate limit, per"
            + " device\n");
    out.append("# TYPE envmon_gateway_throttled_total counter\n");
    intake
        .limiter()
        .throttledByDevice()
        .forEach(
            (device, count) ->
                out.append("envmon_gateway_throttled_total{device=\"")
                    .append(labelValue(device))
                    .append("\"} ")
                    .append(count)
                    .append('\n'));
    counter(
        out,
        "envmon_gateway_spool_full_total",
        "Messages answered 'retry later' because the spool was full",
        intake.spoolFullAnswers());
    gauge(
        out,
        "envmon_gateway_spool_depth",
        "Spooled readings Kafka has not acknowledged",
        spool.depth());
    gauge(out, "envmon_gateway_spool_bytes", "Bytes of spool segments on disk", spool.sizeBytes());
    gauge(out, "envmon_gateway_spool_cap_bytes", "Spool size cap", spool.capBytes());
    double age =
        spool
            .oldestUnacknowledgedReceivedAt()
            .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
            .orElse(0.0);
    gauge(out, "envmon_gateway_spool_age_seconds", "Age of the oldest unforwarded reading", age);
    gauge(
        out,
        "envmon_gateway_forward_lag",
        "Readings waiting to be forwarded to Kafka",
        gateway.forwarder().lag());
    counter(
        out,
        "envmon_gateway_forwarded_total",
        "Readings Kafka acknowledged",
        gateway.forwarder().forwarded());
    counter(
        out,
        "envmon_gateway_forward_failures_total",
        "Failed attempts to forward a batch",
        gateway.forwarder().failedAttempts());
    counter(
        out,
        "envmon_gateway_deadletters_total",
        "Undecodable payloads sent to the dead-letter topic",
        gateway.deadLetters().sent());
    counter(
        out,
        "envmon_gateway_deadletter_failures_total",
        "Undecodable payloads the dead-letter topic did not take",
        gateway.deadLetters().failed());
    gauge(
        out, "envmon_gateway_registry_points", "Points in the registry", gateway.registry().size());
    if (gateway.hj212() != null) {
      gauge(
          out,
          "envmon_gateway_hj212_connections",
          "Open HJ 212 connections",
          gateway.hj212().openConnections());
      counter(
          out,
          "envmon_gateway_hj212_connections_refused_total",
          "HJ 212 connections closed at the connection limit",
          gateway.hj212().connectionsRefused());
      var packets = gateway.hj212().packets();
      out.append(
          "# HELP envmon_gateway_hj212_commands_total HJ 212 packets taken (authenticated) by"
              + " version and command\n");
      out.append("# TYPE envmon_gateway_hj212_commands_total counter\n");
      for (Map.Entry<String, Long> entry : packets.commandCounts().entrySet()) {
        String[] versionAndCn = entry.getKey().split(" ");
        out.append("envmon_gateway_hj212_commands_total{version=\"")
            .append(versionAndCn[0])
            .append("\",cn=\"")
            .append(versionAndCn[1])
            .append("\"} ")
            .append(entry.getValue())
            .append('\n');
      }
      counter(
          out,
          "envmon_gateway_hj212_heartbeats_total",
          "HJ 212 heartbeats (CN 9015) taken",
          packets.heartbeats());
      gauge(
          out,
          "envmon_gateway_hj212_stations_online",
          "HJ 212 stations heard from (heartbeat or data) within the read timeout",
          gateway.hj212().stationsOnline());
      counter(
          out,
          "envmon_gateway_hj212_decrypted_total",
          "HJ 212-2025 packets decrypted (SM4)",
          packets.decrypted());
      counter(
          out,
          "envmon_gateway_hj212_decrypted_previous_key_total",
          "HJ 212-2025 packets decrypted with the station's previous key",
          packets.decryptedWithPreviousKey());
      counter(
          out,
          "envmon_gateway_hj212_plaintext_accepted_total",
          "Plaintext data packets taken from stations marked encrypted (hj212.plaintext=accept)",
          packets.plaintextAccepted());
      labelled(
          out,
          "envmon_gateway_hj212_tolerated_total",
          "HJ 212 packets taken from a station despite a deviation its hj212.tolerate names",
          "deviation",
          packets.toleratedByDevice());
      labelled(
          out,
          "envmon_gateway_hj212_unknown_factors_total",
          "HJ 212 data packets carrying a factor code envmon does not read, per station and code",
          "code",
          packets.unknownFactorsByDevice());
    }
    if (gateway.credentialsReloader() != null) {
      counter(
          out,
          "envmon_gateway_credentials_reloads_total",
          "Changes of the device credentials file taken over",
          gateway.credentialsReloader().reloads());
      counter(
          out,
          "envmon_gateway_credentials_reload_failures_total",
          "Changes of the device credentials file refused (old devices kept)",
          gateway.credentialsReloader().failures());
    }
    respond(exchange, 200, "text/plain; version=0.0.4", out.toString());
  }

  /** A counter family with labels {@code device} and {@code label}. */
  private static void labelled(
      StringBuilder out,
      String name,
      String help,
      String label,
      Map<String, Map<String, Long>> countsByDevice) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    countsByDevice.forEach(
        (device, counts) ->
            counts.forEach(
                (value, count) ->
                    out.append(name)
                        .append("{device=\"")
                        .append(labelValue(device))
                        .append("\",")
                        .append(label)
                        .append("=\"")
                        .append(labelValue(value))
                        .append("\"} ")
                        .append(count)
                        .append('\n')));
  }

  /** Prometheus text format: backslash, double quote and line feed escaped. */
  private static String labelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void counter(StringBuilder out, String name, String help, double value) {
    metric(out, name, help, "counter", value);
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    metric(out, name, help, "gauge", value);
  }

  private static void metric(
      StringBuilder out, String name, String help, String type, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name)
        .append(' ')
        .append(
            value == Math.rint(value)
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value))
        .append('\n');
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
