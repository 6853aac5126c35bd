package io.envmon.sim;

import io.envmon.domain.point.NoiseZone;
import io.envmon.sim.run.Progress;
import io.envmon.sim.run.ProgressLine;
import io.envmon.sim.run.Simulation;
import io.envmon.sim.station.AirStation;
import io.envmon.sim.station.NoiseStation;
import io.envmon.sim.station.Station;
import io.envmon.sim.station.WaterStation;
import io.envmon.sim.transport.MqttTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs simulated stations of one city against an MQTT broker, in load mode (N stations × an
 * interval, real time or as fast as the broker acknowledges) or accelerated (a day in minutes).
 *
 * <pre>
 * java -cp … io.envmon.sim.SimulatorMain --mqtt tcp://127.0.0.1:21883 --city wujiang \
 *     --air 100 --water 10 --noise 50 --interval PT1M --duration PT1H --acceleration 60 --seed 42
 * </pre>
 *
 * Station ids are {@code {city}-{kind}-sim-NNN}. Exit code 0 when every reading was acknowledged.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    String city = options.getOrDefault("city", "wujiang");
    ZoneId zone = ZoneId.of(options.getOrDefault("zone", "Asia/Shanghai"));
    Duration interval = Duration.parse(options.getOrDefault("interval", "PT1M"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    List<Station> stations = new ArrayList<>();
    for (int i = 1; i <= Integer.parseInt(options.getOrDefault("air", "10")); i++) {
      stations.add(new AirStation(id(city, "air", i), city, zone, interval, seed));
    }
    for (int i = 1; i <= Integer.parseInt(options.getOrDefault("water", "2")); i++) {
      stations.add(
          new WaterStation(id(city, "water", i), city, zone, interval.multipliedBy(240), seed));
    }
    for (int i = 1; i <= Integer.parseInt(options.getOrDefault("noise", "5")); i++) {
      stations.add(
          new NoiseStation(id(city, "noise", i), city, zone, NoiseZone.Z2, interval, seed));
    }
    Instant start =
        options.containsKey("start") ? Instant.parse(options.get("start")) : Instant.now();
    Duration duration = Duration.parse(options.getOrDefault("duration", "PT10M"));
    double acceleration = Double.parseDouble(options.getOrDefault("acceleration", "1"));
    System.out.printf(
        "sim: %d stations of %s, every %s, %s of readings from %s, acceleration %s%n",
        stations.size(),
        city,
        interval,
        duration,
        start,
        acceleration == Simulation.AS_FAST_AS_POSSIBLE ? "as fast as possible" : acceleration);
    try (MqttTransport transport =
        new MqttTransport(
            options.getOrDefault("mqtt", "tcp://127.0.0.1:21883"),
            "envmon-sim-" + city + "-" + ProcessHandle.current().pid(),
            options.get("username"),
            options.get("password"),
            Integer.parseInt(options.getOrDefault("in-flight", "1000")),
            (topic, reason) -> System.out.println("sim: refused on " + topic + ": " + reason))) {
      Simulation simulation =
          new Simulation(stations, transport, start, duration, acceleration, Clock.systemUTC());
      Progress progress = simulation.run(Duration.ofSeconds(30), new ProgressLine(System.out));
      System.exit(progress.acknowledged() == progress.sent() ? 0 : 1);
    }
  }

  private static String id(String city, String kind, int number) {
    return "%s-%s-sim-%03d".formatted(city, kind, number);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs, got '" + args[i] + "' (see the class comment)");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
