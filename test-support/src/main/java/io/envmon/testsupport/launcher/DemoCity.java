package io.envmon.testsupport.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A city of the demo data file for which {@code ./envmon up} starts a gateway, with the gateway's
 * default ports: the n-th city (from 0) gets HJ 212 22121+n, CoAP 25683+2n, CoAPs 25684+2n and
 * health 28081+n, each overridable by {@code ENVMON_<CITY>_<PORT>_PORT}.
 */
public record DemoCity(String id, int hj212Port, int coapPort, int coapsPort, int healthPort) {

  // The id becomes part of environment variable names (ENVMON_QINGPU_HJ212_PORT) and file names.
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*");
  // Health ports from 28081 up must stay below InfluxDB's 28086.
  private static final int MAX_CITIES = 5;

  static DemoCity at(String id, int index) {
    return new DemoCity(id, 22121 + index, 25683 + 2 * index, 25684 + 2 * index, 28081 + index);
  }

  /**
   * The {@code cities} of the demo data file, in its order; each needs its device credentials
   * {@code devices-<city>.properties} in {@code devicesDir}.
   */
  public static List<DemoCity> read(Path demoDataFile, Path devicesDir) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(demoDataFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo data file " + demoDataFile, e);
    }
    List<DemoCity> cities = new ArrayList<>();
    for (JsonNode city : root.path("cities")) {
      String id = city.path("id").asText("");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "the city id '"
                + id
                + "' in "
                + demoDataFile
                + " is not lower-case letters and digits");
      }
      Path devices = devicesDir.resolve("devices-" + id + ".properties");
      if (!Files.isRegularFile(devices)) {
        throw new IllegalArgumentException(
            "the demo city " + id + " of " + demoDataFile + " has no device file " + devices);
      }
      cities.add(at(id, cities.size()));
    }
    if (cities.isEmpty() || cities.size() > MAX_CITIES) {
      throw new IllegalArgumentException(
          demoDataFile + " must list 1 to " + MAX_CITIES + " cities, not " + cities.size());
    }
    return cities;
  }

  /** The launcher's line: id and the four default ports, space-separated. */
  public String line() {
    return id + " " + hj212Port + " " + coapPort + " " + coapsPort + " " + healthPort;
  }
}
