package io.envmon.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.auth.MosquittoAuthFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The stations and broker logins of {@code ./envmon bench e2e}: a devices file in the gateway's
 * credentials format (docs/gateway.md "Device credentials") where each generator connection is a
 * device (a data logger) with its share of the air stations and its own Mosquitto password, one
 * device {@code bench-probe} holding the noise probes, and the city's gateway account {@code
 * gw-CITY}; {@link #write} also writes the broker's dynamic-security configuration with {@link
 * MosquittoAuthFiles}, so the broker checks every login and topic as in {@code ./envmon up}; {@link
 * #writeDataFile} gives the API the same city and points as a registry data file.
 */
record BenchFleet(String city, List<Device> generatorDevices, Device probeDevice) {

  static final String CITY = "benchcity";
  static final String PROBE_DEVICE = "bench-probe";

  /** The cluster of the API's data file and the jobs' {@code envmon.cluster.id}. */
  static final String CLUSTER = "benchcluster";

  record Device(String id, String mqttPassword, List<String> points) {}

  static String gatewayUser(String city) {
    return "gw-" + city;
  }

  /** Writes devices.properties, gateway.password and dynamic-security.json into {@code dir}. */
  static void write(Path dir, int stations, int connections, int probes) throws IOException {
    Files.createDirectories(dir);
    SecureRandom random = new SecureRandom();
    StringBuilder devices =
        new StringBuilder("# Written by ./envmon bench e2e (BenchFleet) for one run.\n");
    for (int c = 1; c <= connections; c++) {
      int connection = c;
      String points =
          IntStream.rangeClosed(1, stations)
              .filter(i -> (i - 1) % connections == connection - 1)
              .mapToObj(i -> "%s-air-%04d".formatted(CITY, i))
              .collect(Collectors.joining(","));
      String id = "bench-gen-%02d".formatted(c);
      devices.append("device.%s.points=%s%n".formatted(id, points));
      devices.append("device.%s.mqtt.password=%s%n".formatted(id, secret(random)));
    }
    devices.append(
        "device.%s.points=%s%n"
            .formatted(
                PROBE_DEVICE,
                IntStream.rangeClosed(1, probes)
                    .mapToObj(i -> "%s-noise-p%02d".formatted(CITY, i))
                    .collect(Collectors.joining(","))));
    devices.append("device.%s.mqtt.password=%s%n".formatted(PROBE_DEVICE, secret(random)));
    Files.writeString(dir.resolve("devices.properties"), devices);
    String gatewayPassword = secret(random);
    Files.writeString(dir.resolve("gateway.password"), gatewayPassword);
    MosquittoAuthFiles.run(
        new String[] {
          "--out",
          dir.toString(),
          "--devices",
          CITY + "=" + dir.resolve("devices.properties"),
          "--gateway",
          CITY + "=" + gatewayUser(CITY) + ":" + gatewayPassword
        });
  }

  static BenchFleet read(Path devicesFile) {
    List<Device> generators = new ArrayList<>();
    Device probe = null;
    List<DeviceCredentials.Device> all = new ArrayList<>(DeviceCredentials.load(devicesFile).all());
    all.sort(Comparator.comparing(DeviceCredentials.Device::deviceId));
    for (DeviceCredentials.Device d : all) {
      Device device = new Device(d.deviceId(), d.mqttPassword(), d.pointIds());
      if (d.deviceId().equals(PROBE_DEVICE)) {
        probe = device;
      } else {
        generators.add(device);
      }
    }
    if (generators.isEmpty() || probe == null) {
      throw new IllegalArgumentException(devicesFile + " is not a bench devices file");
    }
    return new BenchFleet(CITY, List.copyOf(generators), probe);
  }

  /**
   * Writes the API's registry data file (docs/api.md, {@code DataFileLoader}; the format of {@code
   * demo/cluster.json}) for the fleet: cluster {@code CLUSTER}, the city (Asia/Shanghai), every air
   * station and noise probe (ACTIVE, CLUSTER sharing; probes zone 1) and one {@code emergency} user
   * of the city, so that the API registers the points — and publishes them on {@code
   * envmon.points.v1} through its outbox, as in {@code ./envmon up} — and the bench can subscribe
   * to the alert stream as emergency staff do.
   */
  void writeDataFile(Path file, String emergencyUser, String emergencyPassword) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode data = json.createObjectNode();
    data.putObject("cluster").put("id", CLUSTER).put("name", "bench cluster");
    ObjectNode cityEntry = data.putArray("cities").addObject();
    cityEntry.put("id", city).put("name", city).put("timeZone", "Asia/Shanghai");
    cityEntry.putArray("neighbours");
    ArrayNode points = data.putArray("points");
    for (String id : airPoints()) {
      point(points, id, "AIR");
    }
    for (String id : probeDevice.points()) {
      point(points, id, "NOISE").put("zone", "1");
    }
    data.putArray("users")
        .addObject()
        .put("username", emergencyUser)
        .put("password", emergencyPassword)
        .put("role", "emergency")
        .put("city", city);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), data);
  }

  private ObjectNode point(ArrayNode points, String id, String kind) {
    return points
        .addObject()
        .put("id", id)
        .put("cityId", city)
        .put("kind", kind)
        .put("name", id)
        .put("lat", 31.0)
        .put("lon", 120.6)
        .put("status", "ACTIVE")
        .put("sharing", "CLUSTER");
  }

  List<String> airPoints() {
    return generatorDevices.stream().flatMap(d -> d.points().stream()).toList();
  }

  static String gatewayPassword(Path dir) throws IOException {
    return Files.readString(dir.resolve("gateway.password")).trim();
  }

  /** A random password of 24 hex digits. */
  static String secret() {
    return secret(new SecureRandom());
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
