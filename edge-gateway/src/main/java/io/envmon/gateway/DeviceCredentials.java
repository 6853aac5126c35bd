package io.envmon.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The devices allowed to send to this gateway (docs/gateway.md "Device credentials"), from a
 * properties file:
 *
 * <pre>
 * device.station-7.points=wujiang-air-01
 * device.station-7.secret=…            (CoAPs pre-shared key)
 * device.station-7.hj212.mn=010000A8900016F000169DC0
 * device.station-7.hj212.pw=100000
 * device.station-7.mqtt.password=…     (its Mosquitto login, user name = device id)
 * </pre>
 *
 * An HJ 212 station (one MN) sends for exactly one point, its first listed one.
 */
public final class DeviceCredentials {

  /**
   * One device: the points it may send for and its secrets. {@code mqttPassword} is its Mosquitto
   * password (null: no broker account); the gateway does not use it, {@code
   * auth.MosquittoAuthFiles} turns it into the broker's password and ACL files.
   */
  public record Device(
      String deviceId,
      List<String> pointIds,
      String secret,
      String hj212Mn,
      String hj212Pw,
      String mqttPassword) {
    public Device {
      pointIds = List.copyOf(pointIds);
    }

    public Device(
        String deviceId, List<String> pointIds, String secret, String hj212Mn, String hj212Pw) {
      this(deviceId, pointIds, secret, hj212Mn, hj212Pw, null);
    }

    public boolean maySendFor(String pointId) {
      return pointIds.contains(pointId);
    }
  }

  /** The fields a device may have, after {@code device.{id}.}. */
  public static final List<String> FIELDS =
      List.of("points", "secret", "hj212.mn", "hj212.pw", "mqtt.password");

  /** The devices at one moment; replaced whole when the file is reloaded. */
  private record Devices(Map<String, Device> byId, Map<String, Device> byMn) {}

  private volatile Devices devices;
  private final List<Consumer<DeviceCredentials>> listeners = new CopyOnWriteArrayList<>();

  public DeviceCredentials(List<Device> devices) {
    Map<String, Device> ids = new HashMap<>();
    Map<String, Device> mns = new HashMap<>();
    for (Device device : devices) {
      ids.put(device.deviceId(), device);
      if (device.hj212Mn() != null) {
        if (device.pointIds().isEmpty()) {
          throw new IllegalArgumentException(
              "HJ 212 station " + device.deviceId() + " names no point in its .points");
        }
        Device before = mns.put(device.hj212Mn(), device);
        if (before != null) {
          throw new IllegalArgumentException(
              "HJ 212 MN "
                  + device.hj212Mn()
                  + " is given to both "
                  + before.deviceId()
                  + " and "
                  + device.deviceId());
        }
      }
    }
    this.devices = new Devices(Map.copyOf(ids), Map.copyOf(mns));
  }

  /**
   * Takes over the devices of {@code newer} (a reloaded file) at once: every lookup after this sees
   * only them. Then tells the listeners (e.g. the CoAPs key store).
   */
  public void replaceWith(DeviceCredentials newer) {
    this.devices = newer.devices;
    for (Consumer<DeviceCredentials> listener : listeners) {
      listener.accept(this);
    }
  }

  /** {@code listener} is called after every {@link #replaceWith}. */
  public void onChange(Consumer<DeviceCredentials> listener) {
    listeners.add(listener);
  }

  public static DeviceCredentials none() {
    return new DeviceCredentials(List.of());
  }

  public static DeviceCredentials load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the device credentials " + file, e);
    }
    Set<String> deviceIds = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      String[] parts = key.split("\\.", 3);
      if (parts.length < 3 || !parts[0].equals("device")) {
        throw new IllegalArgumentException(
            "device credentials " + file + ": key '" + key + "' is not device.{id}.{field}");
      }
      if (!FIELDS.contains(parts[2])) {
        throw new IllegalArgumentException(
            "device credentials "
                + file
                + ": key '"
                + key
                + "' has an unknown field; known: "
                + String.join(", ", FIELDS));
      }
      deviceIds.add(parts[1]);
    }
    List<Device> devices = new ArrayList<>();
    for (String id : deviceIds) {
      String points = properties.getProperty("device." + id + ".points", "");
      devices.add(
          new Device(
              id,
              Arrays.stream(points.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList(),
              properties.getProperty("device." + id + ".secret"),
              properties.getProperty("device." + id + ".hj212.mn"),
              properties.getProperty("device." + id + ".hj212.pw"),
              properties.getProperty("device." + id + ".mqtt.password")));
    }
    return new DeviceCredentials(devices);
  }

  public Optional<Device> byDeviceId(String deviceId) {
    return Optional.ofNullable(devices.byId().get(deviceId));
  }

  public Optional<Device> byHj212Mn(String mn) {
    return Optional.ofNullable(devices.byMn().get(mn));
  }

  public List<Device> all() {
    return List.copyOf(devices.byId().values());
  }

  public int size() {
    return devices.byId().size();
  }
}
