package io.envmon.sim;

import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.ProgressLine;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.scenario.Protocol;
import io.envmon.sim.scenario.Scenario;
import io.envmon.sim.scenario.ScenarioFile;
import io.envmon.sim.scenario.StationSpec;
import io.envmon.sim.transport.CoapTransport;
import io.envmon.sim.transport.Hj212Transport;
import io.envmon.sim.transport.MqttTransport;
import io.envmon.sim.transport.RoutingTransport;
import io.envmon.sim.transport.Transport;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Plays a scenario (docs/simulator.md "Scenarios") against the gateways of its cities, each station
 * over its own protocol:
 *
 * <pre>
 * java -cp … io.envmon.sim.ScenarioMain --scenario demo-cluster --endpoints var/sim/endpoints.properties \
 *     --devices demo/devices-qingpu.properties,demo/devices-wujiang.properties,… \
 *     --start -PT6H --duration P3650D --acceleration 30 --live true
 * </pre>
 *
 * The endpoints file gives the gateways' and the broker's addresses; the device files are the
 * gateways' credentials files, whose entries give each station its keys and logins. {@code --start}
 * is an instant or a duration relative to now (negative = in the past).
 */
public final class ScenarioMain {

  private ScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = SimulatorMain.parse(args);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String startText = options.getOrDefault("start", "PT0S");
    Instant start =
        startText.startsWith("P") || startText.startsWith("-P")
            ? now.plus(Duration.parse(startText))
            : Instant.parse(startText);
    Long seed = options.containsKey("seed") ? Long.parseLong(options.get("seed")) : null;
    Scenario scenario =
        ScenarioFile.load(options.getOrDefault("scenario", "demo-cluster"), start, seed);
    Duration duration = Duration.parse(options.getOrDefault("duration", "PT1H"));
    double acceleration = Double.parseDouble(options.getOrDefault("acceleration", "1"));
    boolean live = Boolean.parseBoolean(options.getOrDefault("live", "false"));
    Properties endpoints = properties(required(options, "endpoints"));
    Properties devices = new Properties();
    if (options.containsKey("devices")) {
      for (String file : options.get("devices").split(",")) {
        devices.putAll(properties(file.trim()));
      }
    }
    System.out.printf(
        "sim: scenario %s (seed %d), %d stations, %s of readings from %s, acceleration %s%s%n",
        scenario.name(),
        scenario.seed(),
        scenario.stations().size(),
        duration,
        start,
        acceleration == Simulation.AS_FAST_AS_POSSIBLE ? "as fast as possible" : acceleration,
        live ? ", live (never ahead of the real clock)" : "");
    try (Transport transport = transports(scenario, endpoints, devices)) {
      Instant[] lastDue = {start.minusMillis(1)};
      Simulation simulation =
          new Simulation(
                  scenario.stations(), transport, start, duration, acceleration, Clock.systemUTC())
              .withReadingMaker(
                  (station, at) -> {
                    if (scenario.reconnectStormBetween(lastDue[0], at)) {
                      transport.reconnectAll();
                    }
                    lastDue[0] = at;
                    if (scenario.malformedAt(station, at)) {
                      transport.sendMalformed(station, at); // a refusal is the point: not counted
                    }
                    return scenario.emission(station, at);
                  })
              .withResends(scenario::resent)
              .live(live);
      Progress progress = simulation.run(Duration.ofSeconds(30), new ProgressLine(System.out));
      System.exit(progress.acknowledged() == progress.sent() ? 0 : 1);
    }
  }

  public static Transport transports(Scenario scenario, Properties endpoints, Properties devices)
      throws Exception {
    return transports(scenario, endpoints, devices, Hj212Transport.DEFAULT_HEARTBEAT);
  }

  /**
   * The scenario's transports; an HJ 212 station speaks the edition its spec names (by default HJ
   * 212-2025 when its device entry has {@code hj212.sm4.key}, HJ 212-2017 otherwise), encrypts with
   * that key, and an HJ 212-2025 station sends a 9015 heartbeat every {@code hj212Heartbeat}.
   */
  public static Transport transports(
      Scenario scenario, Properties endpoints, Properties devices, Duration hj212Heartbeat)
      throws Exception {
    Map<String, Transport> byPoint = new HashMap<>();
    List<Transport> opened = new ArrayList<>();
    try {
      MqttTransport mqtt = null;
      for (Map.Entry<String, List<StationSpec>> city : scenario.byCity().entrySet()) {
        String cityId = city.getKey();
        Map<String, CoapTransport.PskIdentity> psk = new HashMap<>();
        Map<String, Hj212Transport.StationLogin> logins = new HashMap<>();
        for (StationSpec spec : city.getValue()) {
          String prefix = "device." + spec.deviceId() + ".";
          if (spec.protocol() == Protocol.COAPS) {
            psk.put(
                spec.pointId(),
                new CoapTransport.PskIdentity(spec.deviceId(), device(devices, prefix + "secret")));
          } else if (spec.protocol() == Protocol.HJ212) {
            logins.put(spec.pointId(), hj212Login(spec, devices));
          }
        }
        Transport coap = null;
        Transport coaps = null;
        Transport hj212 = null;
        for (StationSpec spec : city.getValue()) {
          Transport transport;
          switch (spec.protocol()) {
            case MQTT -> {
              String devicePassword = devices.getProperty(prefix(spec) + "mqtt.password");
              if (devicePassword != null && !devicePassword.isBlank()) {
                // The device's own login: the broker lets it write only its points' topics and
                // subscribe only to their .../rejected.
                transport =
                    new MqttTransport(
                        required(endpoints, "mqtt.url"),
                        spec.deviceId() + "-" + ProcessHandle.current().pid(),
                        spec.deviceId(),
                        devicePassword,
                        1000,
                        List.of(MqttTopics.rejected(cityId, spec.pointId())),
                        (topic, reason) ->
                            System.out.println("sim: refused on " + topic + ": " + reason));
                opened.add(transport);
              } else {
                if (mqtt == null) {
                  mqtt =
                      new MqttTransport(
                          required(endpoints, "mqtt.url"),
                          "envmon-sim-" + scenario.name() + "-" + ProcessHandle.current().pid(),
                          endpoints.getProperty("mqtt.username"),
                          endpoints.getProperty("mqtt.password"),
                          1000,
                          (topic, reason) ->
                              System.out.println("sim: refused on " + topic + ": " + reason));
                  opened.add(mqtt);
                }
                transport = mqtt;
              }
            }
            case COAP -> {
              if (coap == null) {
                coap = new CoapTransport(address(endpoints, cityId + ".coap"), false, Map.of());
                opened.add(coap);
              }
              transport = coap;
            }
            case COAPS -> {
              if (coaps == null) {
                coaps = new CoapTransport(address(endpoints, cityId + ".coaps"), false, psk);
                opened.add(coaps);
              }
              transport = coaps;
            }
            case HJ212 -> {
              if (hj212 == null) {
                hj212 =
                    new Hj212Transport(
                        address(endpoints, cityId + ".hj212"),
                        logins,
                        ZoneId.of("Asia/Shanghai"),
                        Duration.ofSeconds(10),
                        Clock.systemUTC(),
                        hj212Heartbeat);
                opened.add(hj212);
              }
              transport = hj212;
            }
            default -> throw new IllegalStateException();
          }
          byPoint.put(spec.pointId(), transport);
        }
      }
      return new RoutingTransport(byPoint);
    } catch (Exception | Error e) {
      opened.forEach(Transport::close);
      throw e;
    }
  }

  /** An HJ 212 station's MN, PW, edition and SM4 key from its device entry and spec. */
  public static Hj212Transport.StationLogin hj212Login(StationSpec spec, Properties devices) {
    String prefix = prefix(spec);
    String keyText = devices.getProperty(prefix + "hj212.sm4.key");
    try {
      byte[] key = keyText == null || keyText.isBlank() ? null : Hj212Sm4.parseKey(keyText.strip());
      Hj212Version version =
          spec.hj212Version() != null
              ? spec.hj212Version()
              : key != null ? Hj212Version.HJ_212_2025 : Hj212Version.HJ_212_2017;
      return new Hj212Transport.StationLogin(
          device(devices, prefix + "hj212.mn"), device(devices, prefix + "hj212.pw"), version, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "station " + spec.pointId() + " (device " + spec.deviceId() + "): " + e.getMessage(), e);
    }
  }

  private static String prefix(StationSpec spec) {
    return "device." + spec.deviceId() + ".";
  }

  private static String device(Properties devices, String key) {
    String value = devices.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + key + " in the --devices files");
    }
    return value;
  }

  private static InetSocketAddress address(Properties endpoints, String key) {
    String value = required(endpoints, key);
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(key + "=" + value + " is not host:port");
    }
    return new InetSocketAddress(
        value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the endpoints file names no " + key);
    }
    return value;
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("--" + key + " is required (see the class comment)");
    }
    return value;
  }

  private static Properties properties(String file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }
}
