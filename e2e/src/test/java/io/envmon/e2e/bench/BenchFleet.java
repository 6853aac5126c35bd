package io.envmon.e2e.bench;

import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.auth.MosquittoAuthFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * gw-CITY}; {@link #write} also writes the broker's {@code passwd} and {@code acl} with {@link
 * MosquittoAuthFiles}, so the broker checks every login and topic as in {@code ./envmon up}.
 */
record BenchFleet(String city, List<Device> generatorDevices, Device probeDevice) {

  static final String CITY = "benchcity";
  static final String PROBE_DEVICE = "bench-probe";

  record Device(String id, String mqttPassword, List<String> points) {}

  static String gatewayUser(String city) {
    return "gw-" + city;
  }

  /** Writes devices.properties, gateway.password, passwd and acl into {@code dir}. */
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

  List<String> airPoints() {
    return generatorDevices.stream().flatMap(d -> d.points().stream()).toList();
  }

  static String gatewayPassword(Path dir) throws IOException {
    return Files.readString(dir.resolve("gateway.password")).trim();
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
