package io.envmon.gateway;

import io.envmon.domain.hj212.Hj212Deviation;
import io.envmon.domain.hj212.Hj212Sm4;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
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
 * device.station-7.hj212.sm4.key=…     (HJ 212-2025 SM4 key: 32 hex digits or 16 characters)
 * device.station-7.hj212.sm4.previous-key=…  (optional: the key before the last rotation)
 * device.station-7.hj212.plaintext=refuse    (or accept: take plaintext data, counted)
 * device.station-7.hj212.tolerate=crc-modbus,lowercase-hex  (deviations taken from it, counted)
 * device.station-7.coap.plain-from=10.20.0.7,10.21.0.0/24   (plain CoAP allowed from there)
 * device.station-7.interval=PT5M       (how often it sends: its per-device rate limit)
 * </pre>
 *
 * An HJ 212 station (one MN) sends for exactly one point, its first listed one.
 */
public final class DeviceCredentials {

  /**
   * One device: the points it may send for and its secrets. {@code mqttPassword} is its Mosquitto
   * password (null: no broker account); the gateway does not use it, {@code
   * auth.MosquittoAuthFiles} turns it into the broker's dynamic-security file. {@code
   * coapPlainFrom}: the source addresses it may send plain (non-DTLS) CoAP from, empty: none.
   * {@code interval}: how often it sends a reading (null: the gateway's {@code
   * limit.default.interval}), the base of its rate limit.
   */
  public record Device(
      String deviceId,
      List<String> pointIds,
      String secret,
      String hj212Mn,
      String hj212Pw,
      String mqttPassword,
      Sm4 hj212Sm4,
      Set<Hj212Deviation> hj212Tolerated,
      List<AddressRange> coapPlainFrom,
      Duration interval) {
    public Device {
      pointIds = List.copyOf(pointIds);
      coapPlainFrom = coapPlainFrom == null ? List.of() : List.copyOf(coapPlainFrom);
      if (interval != null && (interval.isNegative() || interval.isZero())) {
        throw new IllegalArgumentException(
            "device " + deviceId + " interval " + interval + " must be positive");
      }
      hj212Tolerated =
          hj212Tolerated == null || hj212Tolerated.isEmpty()
              ? Set.of()
              : Collections.unmodifiableSet(EnumSet.copyOf(hj212Tolerated));
    }

    /** A device without plain CoAP and with the gateway's default interval. */
    public Device(
        String deviceId,
        List<String> pointIds,
        String secret,
        String hj212Mn,
        String hj212Pw,
        String mqttPassword,
        Sm4 hj212Sm4,
        Set<Hj212Deviation> hj212Tolerated) {
      this(
          deviceId,
          pointIds,
          secret,
          hj212Mn,
          hj212Pw,
          mqttPassword,
          hj212Sm4,
          hj212Tolerated,
          List.of(),
          null);
    }

    /** A device that tolerates no deviation from HJ 212 (the default). */
    public Device(
        String deviceId,
        List<String> pointIds,
        String secret,
        String hj212Mn,
        String hj212Pw,
        String mqttPassword,
        Sm4 hj212Sm4) {
      this(deviceId, pointIds, secret, hj212Mn, hj212Pw, mqttPassword, hj212Sm4, Set.of());
    }

    public Device(
        String deviceId,
        List<String> pointIds,
        String secret,
        String hj212Mn,
        String hj212Pw,
        String mqttPassword) {
      this(deviceId, pointIds, secret, hj212Mn, hj212Pw, mqttPassword, null);
    }

    public Device(
        String deviceId, List<String> pointIds, String secret, String hj212Mn, String hj212Pw) {
      this(deviceId, pointIds, secret, hj212Mn, hj212Pw, null);
    }

    public boolean maySendFor(String pointId) {
      return pointIds.contains(pointId);
    }

    /** Whether its {@code coap.plain-from} names {@code source}. */
    public boolean maySendPlainCoapFrom(InetAddress source) {
      for (AddressRange range : coapPlainFrom) {
        if (range.contains(source)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * An HJ 212-2025 station that encrypts its data area with SM4 (HJ 212-2025 §6.4).
   *
   * @param key its current 16-byte key
   * @param previousKey the key before the last rotation, tried when {@code key} does not decrypt a
   *     packet (history re-sent after a rotation); null when none
   * @param acceptPlaintext take plaintext data packets from it anyway (counted); the default is to
   *     refuse them
   */
  public record Sm4(byte[] key, byte[] previousKey, boolean acceptPlaintext) {
    public Sm4 {
      key = key.clone();
      previousKey = previousKey == null ? null : previousKey.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public byte[] previousKey() {
      return previousKey == null ? null : previousKey.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Sm4 that
          && Arrays.equals(key, that.key)
          && Arrays.equals(previousKey, that.previousKey)
          && acceptPlaintext == that.acceptPlaintext;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(previousKey))
          + Boolean.hashCode(acceptPlaintext);
    }

    @Override
    public String toString() {
      return "Sm4[key=…, previousKey="
          + (previousKey == null ? "none" : "…")
          + ", acceptPlaintext="
          + acceptPlaintext
          + "]";
    }
  }

  /** The fields a device may have, after {@code device.{id}.}. */
  public static final List<String> FIELDS =
      List.of(
          "points",
          "secret",
          "hj212.mn",
          "hj212.pw",
          "mqtt.password",
          "hj212.sm4.key",
          "hj212.sm4.previous-key",
          "hj212.plaintext",
          "hj212.tolerate",
          "coap.plain-from",
          "interval");

  /** The devices at one moment; replaced whole when the file is reloaded. */
  private record Devices(
      Map<String, Device> byId,
      Map<String, Device> byMn,
      Map<String, Device> mqttByPoint,
      List<Device> plainCoap) {}

  private volatile Devices devices;
  private final List<Consumer<DeviceCredentials>> listeners = new CopyOnWriteArrayList<>();

  public DeviceCredentials(List<Device> devices) {
    Map<String, Device> ids = new HashMap<>();
    Map<String, Device> mns = new HashMap<>();
    Map<String, Device> mqttByPoint = new HashMap<>();
    List<Device> plainCoap = new ArrayList<>();
    for (Device device : devices.stream().sorted(Comparator.comparing(Device::deviceId)).toList()) {
      if (!device.coapPlainFrom().isEmpty()) {
        plainCoap.add(device);
      }
      if (device.mqttPassword() != null) {
        device.pointIds().forEach(point -> mqttByPoint.putIfAbsent(point, device));
      }
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
    this.devices =
        new Devices(
            Map.copyOf(ids), Map.copyOf(mns), Map.copyOf(mqttByPoint), List.copyOf(plainCoap));
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
              properties.getProperty("device." + id + ".mqtt.password"),
              sm4(file, id, properties),
              tolerated(file, id, properties),
              plainFrom(file, id, properties),
              interval(file, id, properties)));
    }
    return new DeviceCredentials(devices);
  }

  private static Sm4 sm4(Path file, String id, Properties properties) {
    String prefix = "device." + id + ".hj212.";
    String key = properties.getProperty(prefix + "sm4.key");
    String previous = properties.getProperty(prefix + "sm4.previous-key");
    String plaintext = properties.getProperty(prefix + "plaintext");
    if (key == null) {
      if (previous != null || plaintext != null) {
        throw new IllegalArgumentException(
            "device credentials "
                + file
                + ": device "
                + id
                + " has hj212.sm4.previous-key or hj212.plaintext but no hj212.sm4.key");
      }
      return null;
    }
    if (plaintext != null && !plaintext.equals("refuse") && !plaintext.equals("accept")) {
      throw new IllegalArgumentException(
          "device credentials "
              + file
              + ": device "
              + id
              + " hj212.plaintext is '"
              + plaintext
              + "'; use refuse or accept");
    }
    try {
      return new Sm4(
          Hj212Sm4.parseKey(key.trim()),
          previous == null ? null : Hj212Sm4.parseKey(previous.trim()),
          "accept".equals(plaintext));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "device credentials " + file + ": device " + id + " SM4 key: " + e.getMessage(), e);
    }
  }

  /**
   * {@code hj212.tolerate}: comma-separated {@link Hj212Deviation} settings; an unknown one is
   * refused with the known ones listed.
   */
  private static Set<Hj212Deviation> tolerated(Path file, String id, Properties properties) {
    String prefix = "device." + id + ".";
    String value = properties.getProperty(prefix + "hj212.tolerate");
    if (value == null) {
      return Set.of();
    }
    if (properties.getProperty(prefix + "hj212.mn") == null) {
      throw new IllegalArgumentException(
          "device credentials " + file + ": device " + id + " has hj212.tolerate but no hj212.mn");
    }
    Set<Hj212Deviation> tolerated = EnumSet.noneOf(Hj212Deviation.class);
    for (String name : value.split(",")) {
      String setting = name.trim();
      if (setting.isEmpty()) {
        continue;
      }
      tolerated.add(
          Hj212Deviation.bySetting(setting)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "device credentials "
                              + file
                              + ": device "
                              + id
                              + " hj212.tolerate names '"
                              + setting
                              + "', which is not a deviation envmon knows; known: "
                              + Hj212Deviation.settings())));
    }
    return tolerated;
  }

  /** {@code coap.plain-from}: comma-separated addresses or CIDR blocks; needs {@code points}. */
  private static List<AddressRange> plainFrom(Path file, String id, Properties properties) {
    String value = properties.getProperty("device." + id + ".coap.plain-from");
    if (value == null) {
      return List.of();
    }
    List<AddressRange> ranges = new ArrayList<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        ranges.add(AddressRange.parse(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "device credentials " + file + ": device " + id + " coap.plain-from: " + e.getMessage(),
            e);
      }
    }
    if (properties.getProperty("device." + id + ".points", "").isBlank()) {
      throw new IllegalArgumentException(
          "device credentials "
              + file
              + ": device "
              + id
              + " has coap.plain-from but no points it may send for");
    }
    return ranges;
  }

  /** {@code interval}: an ISO-8601 duration such as PT5M, positive. */
  private static Duration interval(Path file, String id, Properties properties) {
    String value = properties.getProperty("device." + id + ".interval");
    if (value == null || value.isBlank()) {
      return null;
    }
    Duration interval;
    try {
      interval = Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      interval = Duration.ZERO;
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "device credentials "
              + file
              + ": device "
              + id
              + " interval '"
              + value.trim()
              + "' is not a positive ISO-8601 duration such as PT5M");
    }
    return interval;
  }

  /**
   * The device that logs in to the broker to write {@code pointId}'s topic: the first, by device
   * id, with an {@code mqtt.password} whose {@code points} name it (the broker's ACL lets only such
   * a device write there). Empty when none (an anonymous broker).
   */
  public Optional<Device> mqttDeviceFor(String pointId) {
    return Optional.ofNullable(devices.mqttByPoint().get(pointId));
  }

  /**
   * The devices whose {@code coap.plain-from} names {@code source}, by device id; empty: plain CoAP
   * from there is not allowed.
   */
  public List<Device> plainCoapDevicesFrom(InetAddress source) {
    return devices.plainCoap().stream()
        .filter(device -> device.maySendPlainCoapFrom(source))
        .toList();
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
