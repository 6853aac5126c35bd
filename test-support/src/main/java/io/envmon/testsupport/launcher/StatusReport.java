package io.envmon.testsupport.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text and JSON of {@code ./envmon status} and {@code ./envmon infra status} (README.md), from
 * the facts the launcher gathered: which servers and apps run, where, and the demo logins.
 *
 * @param var the state directory ({@code $ENVMON_VAR})
 * @param home the repository ({@code demo/devices-<city>.properties} lie below it)
 */
public record StatusReport(
    String var, String home, List<ServerFacts> servers, List<DemoLogin> demoLogins) {

  private static final String GATEWAY_PREFIX = "gateway-";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public StatusReport {
    servers = List.copyOf(servers);
    demoLogins = List.copyOf(demoLogins);
  }

  /** Exit status of the text output: 0 when every server (and app) shown runs, else 3. */
  public int exitStatus() {
    return servers.stream().allMatch(ServerFacts::running) ? 0 : 3;
  }

  /**
   * The JSON: {@code var}, one object per server (keyed like the endpoints file, {@code mqtt} for
   * Mosquitto), and with apps also {@code apps} and {@code demoLogins}.
   */
  public String json() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("var", var);
    for (ServerFacts server : group(ServerFacts.Group.INFRA)) {
      ObjectNode node = serverNode(root.putObject(jsonKey(server.name())), server);
      // endpoints.properties keys: mqtt.url -> url, postgres.jdbcUrl -> jdbcUrl
      server
          .endpoints()
          .forEach((key, value) -> node.put(key.substring(key.indexOf('.') + 1), value));
      node.put("log", server.log());
    }
    List<ServerFacts> apps = group(ServerFacts.Group.APP);
    if (!apps.isEmpty()) {
      ObjectNode appsNode = root.putObject("apps");
      for (ServerFacts app : apps) {
        ObjectNode node = serverNode(appsNode.putObject(app.name()), app);
        app.endpoints().forEach(node::put);
        node.put("log", app.log());
      }
      var logins = root.putArray("demoLogins");
      for (DemoLogin login : demoLogins) {
        logins
            .addObject()
            .put("username", login.username())
            .put("password", login.password())
            .put("role", login.role())
            .put("city", login.city());
      }
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    try {
      return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code infra status}: each server's state, pid and main endpoint. */
  public String infraText() {
    StringBuilder out = new StringBuilder("envmon infrastructure in " + var + ":\n");
    for (ServerFacts server : group(ServerFacts.Group.INFRA)) {
      String where =
          server.endpoints().entrySet().stream()
              .filter(e -> isMainEndpoint(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse("(port chosen at start)");
      out.append(
          String.format(
              "  %-10s %-13s %-11s %s%n", server.name(), server.state(), pidText(server), where));
    }
    return out.toString();
  }

  /** {@code status}: the infrastructure, each app's state and pid, then {@link #summaryText}. */
  public String platformText() {
    StringBuilder out = new StringBuilder(infraText());
    out.append("envmon platform in ").append(var).append(":\n");
    for (ServerFacts app : group(ServerFacts.Group.APP)) {
      out.append(String.format("  %-16s %-13s %s%n", app.name(), app.state(), pidText(app)));
    }
    return out.append(summaryText()).toString();
  }

  /** Where to reach the platform and how to log in, as {@code up} prints it when ready. */
  public String summaryText() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "  API        %s  (health %s)%n", endpoint("api", "url"), endpoint("api", "health")));
    out.append(String.format("  Swagger UI %s%n", endpoint("api", "swagger")));
    out.append(String.format("  dashboard  %s%n", endpoint("api", "dashboard")));
    out.append(
        String.format(
            "  MQTT       %s  (stations publish to envmon/v1/{city}/{point}/up)%n",
            endpoint("mosquitto", "mqtt.url")));
    for (ServerFacts app : group(ServerFacts.Group.APP)) {
      if (!app.name().startsWith(GATEWAY_PREFIX)) {
        continue;
      }
      String gateway = app.name();
      out.append(
          String.format(
              "  gateway %-8s CoAP %s  CoAPs %s  HJ 212 %s  health %s%n",
              gateway.substring(GATEWAY_PREFIX.length()),
              endpoint(gateway, "coap"),
              endpoint(gateway, "coaps"),
              endpoint(gateway, "hj212"),
              endpoint(gateway, "health")));
    }
    out.append(
        String.format(
            "  jobs       Flink MiniCluster, checkpoints in %s%n",
            endpoint("jobs", "checkpoints")));
    out.append(
        String.format(
            "  simulator  scenario %s, progress in %s%n",
            endpoint("sim", "scenario"), find("sim").map(ServerFacts::log).orElse("?")));
    out.append(
        String.format(
            "  logs       %s/<app>/<app>.log; device credentials %s/demo/devices-<city>.properties%n",
            var, home));
    out.append("  demo logins (user / password, role, city):\n");
    for (DemoLogin login : demoLogins) {
      out.append(
          String.format(
              "    %-18s %-24s %-11s %s%n",
              login.username(),
              login.password(),
              login.role(),
              login.city() == null ? "-" : login.city()));
    }
    return out.toString();
  }

  private List<ServerFacts> group(ServerFacts.Group group) {
    return servers.stream().filter(server -> server.group() == group).toList();
  }

  private Optional<ServerFacts> find(String name) {
    return servers.stream().filter(server -> server.name().equals(name)).findFirst();
  }

  /** An endpoint of a server, {@code ?} while it has none (stopped, ports chosen at start). */
  private String endpoint(String server, String key) {
    return find(server).map(facts -> facts.endpoints().get(key)).orElse("?");
  }

  private static ObjectNode serverNode(ObjectNode node, ServerFacts server) {
    node.put("state", server.state());
    node.put("pid", server.pid());
    return node;
  }

  /** The JSON keys follow the endpoints file's prefixes: mqtt.url, kafka.bootstrap, ... */
  private static String jsonKey(String server) {
    return server.equals("mosquitto") ? "mqtt" : server;
  }

  private static boolean isMainEndpoint(String key) {
    return key.endsWith(".url") || key.equals("kafka.bootstrap") || key.endsWith(".jdbcUrl");
  }

  private static String pidText(ServerFacts server) {
    return server.pid() == null ? "" : "pid " + server.pid();
  }
}
