package io.envmon.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads a scenario file (JSON, docs/simulator.md "Scenarios"): by name from the classpath ({@code
 * scenarios/<name>.json}) or from a path. Every mistake is reported with the field it is in.
 */
public final class ScenarioFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScenarioFile() {}

  /** {@code nameOrPath}: a bundled scenario's name (e.g. {@code demo-cluster}) or a file. */
  public static Scenario load(String nameOrPath, Instant start, Long seedOverride)
      throws IOException {
    JsonNode root;
    Path path = Path.of(nameOrPath);
    if (Files.isRegularFile(path)) {
      root = JSON.readTree(path.toFile());
    } else {
      String resource = "scenarios/" + nameOrPath + ".json";
      try (InputStream in = ScenarioFile.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException(
              "no scenario '" + nameOrPath + "': neither a file nor a bundled " + resource);
        }
        root = JSON.readTree(in);
      }
    }
    return parse(root, start, seedOverride);
  }

  public static Scenario parse(JsonNode root, Instant start, Long seedOverride) {
    String name = text(root, "name", "scenario");
    long seed = seedOverride != null ? seedOverride : root.path("seed").asLong(42);
    ZoneId zone = ZoneId.of(root.path("timeZone").asText("Asia/Shanghai"));
    List<StationSpec> stations = new ArrayList<>();
    for (JsonNode s : root.path("stations")) {
      String point = text(s, "point", "station");
      String where = "station " + point;
      List<String> downstream = new ArrayList<>();
      s.path("downstream").forEach(d -> downstream.add(d.asText()));
      NoiseZone noiseZone =
          s.hasNonNull("zone")
              ? NoiseZone.parse(s.get("zone").asText())
                  .orElseThrow(() -> bad(where, "zone", s.get("zone").asText()))
              : null;
      stations.add(
          new StationSpec(
              point,
              text(s, "city", where),
              enumOf(PointKind.class, text(s, "kind", where), where, "kind"),
              enumOf(Protocol.class, text(s, "protocol", where), where, "protocol"),
              s.path("device").asText(null),
              duration(s, "interval", where),
              noiseZone,
              downstream,
              s.hasNonNull("hj212") ? hj212Version(s.get("hj212").asText(), where) : null));
    }
    if (stations.isEmpty()) {
      throw new IllegalArgumentException("scenario " + name + " has no stations");
    }
    List<ScenarioEvent> episodes = new ArrayList<>();
    for (JsonNode e : root.path("episodes")) {
      String type = text(e, "type", "episode");
      String where = "episode " + type;
      switch (type) {
        case "heavy-pollution" -> {
          var cities = new HashSet<String>();
          e.path("cities").forEach(c -> cities.add(c.asText()));
          episodes.add(
              new ScenarioEvent.HeavyPollution(
                  cities,
                  duration(e, "from", where),
                  duration(e, "duration", where),
                  e.path("factor").asDouble(3)));
        }
        case "spill" ->
            episodes.add(
                new ScenarioEvent.Spill(
                    text(e, "origin", where),
                    Parameter.byCanonicalName(e.path("parameter").asText("nh3n"))
                        .orElseThrow(() -> bad(where, "parameter", e.path("parameter").asText())),
                    duration(e, "from", where),
                    duration(e, "duration", where),
                    e.path("peak").asDouble(),
                    duration(e, "travelTime", where),
                    e.path("attenuation").asDouble(1)));
        default -> throw bad("episode", "type", type + " (known: " + ScenarioEvent.TYPES + ")");
      }
    }
    List<Fault> faults = new ArrayList<>();
    for (JsonNode f : root.path("faults")) {
      String type = text(f, "type", "fault");
      String point = text(f, "point", "fault " + type);
      String where = "fault " + type + " of " + point;
      Duration from = f.hasNonNull("from") ? duration(f, "from", where) : Duration.ZERO;
      Duration until = f.hasNonNull("until") ? duration(f, "until", where) : null;
      faults.add(
          switch (type) {
            case "silent" -> new Fault.Silent(point, from, until);
            case "stuck" -> new Fault.Stuck(point, from, until);
            case "flag" ->
                new Fault.Flagged(
                    point,
                    from,
                    until,
                    DataFlag.parse(f.path("flag").asText("D"))
                        .orElseThrow(() -> bad(where, "flag", f.path("flag").asText())));
            case "clock-skew" ->
                new Fault.ClockSkew(point, from, until, duration(f, "skew", where));
            case "reconnect-storm" -> new Fault.ReconnectStorm(point, from, null);
            case "malformed" -> new Fault.Malformed(point, from, until, f.path("every").asInt(10));
            case "outage" -> {
              if (until == null) {
                throw new IllegalArgumentException(where + ": 'until' is missing (an outage ends)");
              }
              yield new Fault.Outage(point, from, until);
            }
            default ->
                throw bad(
                    "fault",
                    "type",
                    type
                        + " (known: silent, stuck, flag, clock-skew, malformed,"
                        + " reconnect-storm, outage)");
          });
    }
    return new Scenario(name, seed, zone, start, stations, episodes, faults);
  }

  /** {@code 2005}, {@code 2017} or {@code 2025}. */
  private static Hj212Version hj212Version(String text, String where) {
    for (Hj212Version version : Hj212Version.values()) {
      if (version.year().equals(text)) {
        return version;
      }
    }
    throw bad(where, "hj212", text + " (expected 2005, 2017 or 2025)");
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is missing or not a string");
    }
    return value.asText();
  }

  private static Duration duration(JsonNode node, String field, String where) {
    String text = text(node, field, where);
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw bad(where, field, text + " (expected an ISO-8601 duration such as PT2H)");
    }
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String where, String f) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(where, f, value);
    }
  }

  private static IllegalArgumentException bad(String where, String field, String value) {
    return new IllegalArgumentException(where + ": bad " + field + " '" + value + "'");
  }
}
